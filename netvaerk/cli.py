"""Command-line commands: demo data, networks, staff accounts, generated data and the purge.

Commands are their own transaction boundary: they commit what the services flushed."""

import functools

import click
from flask.cli import AppGroup, with_appcontext

from .core.errors import UserError
from .extensions import db

COMMANDS: list[click.Command] = []


def command(*args, **kwargs):
    """Declare a netvaerk CLI command (top level standalone, under `flask netvaerk` mounted)."""

    def register(func):
        @functools.wraps(func)
        def run(*func_args, **func_kwargs):
            try:
                return func(*func_args, **func_kwargs)
            except UserError as error:  # a rule the command's input broke: say which, no trace
                db.session.rollback()
                raise click.ClickException(str(error)) from error

        cmd = click.command(*args, **kwargs)(with_appcontext(run))
        COMMANDS.append(cmd)
        return cmd

    return register


@command("demo")
@click.option("--force", is_flag=True, help="Load the demo even if the database holds real data.")
@click.option("--if-empty", is_flag=True, help="Only load the demo into an empty database.")
def demo_command(force: bool, if_empty: bool) -> None:
    """Create (or refresh) the demo network, its data and the five demo accounts."""
    from .core.models import Network, User
    from .demo import DemoRefused, load_demo

    if if_empty and (
        db.session.execute(db.select(Network.id).limit(1)).first()
        or db.session.execute(db.select(User.id).limit(1)).first()
    ):
        click.echo("The database is not empty: demo data not loaded.")
        return
    try:
        accounts = load_demo(force=force)
    except DemoRefused as refused:
        raise click.ClickException(str(refused)) from refused
    click.echo("Demo data is ready. Accounts (password: netvaerk-demo):")
    for email, role in accounts:
        click.echo(f"  {email:<28} {role}")


@command("create-network")
@click.argument("name")
@click.option("--area", "areas", multiple=True, required=True, help="A housing area (repeat).")
@click.option("--weekdays", default="0,2,3", help="Meeting weekdays, 0 = Monday (default 0,2,3).")
def create_network_command(name: str, areas: tuple[str, ...], weekdays: str) -> None:
    """Create a network with its housing areas and the default activity types and wheel."""
    from .core.models import Network
    from .core.services import create_network

    if not all(part.strip() in "0123456" and part.strip() for part in weekdays.split(",")):
        raise click.ClickException("--weekdays takes numbers 0-6 separated by commas.")
    if db.session.execute(db.select(Network.id).where(Network.name == name.strip())).first():
        raise click.ClickException(f"A network named {name!r} exists already.")
    create_network(name, list(areas), meeting_weekdays=weekdays)
    db.session.commit()
    click.echo(f"Created the network {name!r}.")


@command("create-user")
@click.option("--email", required=True)
@click.option("--name", default="")
@click.option("--admin", is_flag=True, help="Make the account a site administrator.")
@click.option("--network", "network_name", help="Name of the network to give a role in.")
@click.option(
    "--role", type=click.Choice(["coordinator", "facilitator", "steering", "kiosk"]), default=None
)
def create_user_command(email, name, admin, network_name, role) -> None:
    """Create a staff account; the password is asked for, never taken as an argument."""
    from .auth.services import create_user, password_problem
    from .core.models import Membership, Network, User

    if db.session.execute(db.select(User).where(User.email == email.lower())).first():
        raise click.ClickException(f"An account with e-mail {email} exists already.")
    network = None
    if network_name or role:
        if not (network_name and role):
            raise click.ClickException("Give both --network and --role, or neither.")
        network = db.session.execute(
            db.select(Network).where(Network.name == network_name)
        ).scalar_one_or_none()
        if network is None:
            raise click.ClickException(f"No network named {network_name!r}.")
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password)
    if problem == "too_short":
        raise click.ClickException("The password is too short.")
    if problem == "too_common":
        raise click.ClickException("The password is too common.")
    user = create_user(email, password, name=name, is_admin=admin)
    if network is not None:
        db.session.add(Membership(user_id=user.id, network_id=network.id, role=role))
    db.session.commit()
    click.echo(f"Created {user.email}.")


@command("generate")
@click.option("--networks", default=10, show_default=True, type=click.IntRange(1, 5000))
@click.option("--years", default=1.0, show_default=True, type=click.FloatRange(0.1, 20))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--end", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (default today).")
@click.option(
    "--open-now", is_flag=True, help="Add a meeting open right now in every network (benchmarks)."
)
@click.option("--no-close", is_flag=True, help="Leave every month open (no snapshots).")
def generate_command(networks, years, seed, end, open_now, no_close) -> None:
    """Fill the database with a large, realistic data set, written in bulk (benchmarks)."""
    import time

    from . import timeutil
    from .generate import PASSWORD, GenerateRefused, generate

    started = time.monotonic()
    now = timeutil.local_now()
    try:
        totals = generate(
            networks,
            years,
            seed,
            end=end.date() if end else now.date(),
            open_now=now if open_now else None,
            close_months=not no_close,
            echo=click.echo,
        )
    except GenerateRefused as refused:
        raise click.ClickException(str(refused)) from refused
    for table, count in sorted(totals.items()):
        click.echo(f"  {table:<36} {count:>10,}")
    click.echo(f"Generated {networks} networks in {time.monotonic() - started:.1f} s.")
    click.echo(f"Every generated account has the password {PASSWORD!r}.")


def register_commands(app, standalone: bool) -> None:
    """Add the commands to the app: top level when standalone, else under `flask netvaerk`."""
    if standalone:
        for cmd in COMMANDS:
            app.cli.add_command(cmd)
    else:
        group = AppGroup("netvaerk", help="netvaerk's commands.")
        for cmd in COMMANDS:
            group.add_command(cmd)
        app.cli.add_command(group)


@command("purge")
@click.option("--apply", "apply_", is_flag=True, help="Erase for real (without it: a dry run).")
def purge_command(apply_: bool) -> None:
    """Erase participants who left longer ago than their network keeps data, those who never
    started (NETVAERK_NEVER_STARTED_MONTHS), and old audit events. A dry run unless --apply is
    given; safe to run daily from cron. Every purge that erases is audited."""
    from flask import current_app

    from .privacy.retention import purge
    from .timeutil import local_today

    plan = purge(
        local_today(),
        apply=apply_,
        never_started_months=current_app.config["NETVAERK_NEVER_STARTED_MONTHS"],
        audit_months=current_app.config["NETVAERK_AUDIT_MONTHS"],
    )
    if apply_:
        db.session.commit()  # commands commit themselves (services only flush)
    ids = ", ".join(str(p) for p in plan.erased_ids) or "none"
    if apply_:
        click.echo(f"Erased {len(plan.erased_ids)} participant(s) (ids: {ids}).")
        click.echo(f"Deleted {plan.old_events} audit event(s) older than the retention period.")
    else:
        click.echo(f"Dry run: would erase {len(plan.erased_ids)} participant(s) (ids: {ids}).")
        click.echo(f"Dry run: would delete {plan.old_events} old audit event(s).")
        click.echo("Run with --apply to do it.")


@command("worker")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 32))
def worker_command(threads: int) -> None:
    """Run the task queue's worker: the periodic jobs (Copenhagen time) and the mail outbox.
    Run one or more of these beside the web server (README, "Background work")."""
    import logging

    from flask import current_app

    from .tasks.queue import get_huey, queue_url

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    huey = get_huey(current_app._get_current_object())
    click.echo(f"netvaerk worker: {threads} thread(s), queue {queue_url(current_app)}")
    huey.create_consumer(workers=threads, worker_type="thread", periodic=True).run()


@command("retention")
@click.argument("network_id", type=int)
@click.option("--months", type=int, default=None, help="Keep data this many months after leaving.")
def retention_command(network_id: int, months: int | None) -> None:
    """Show, or with --months set, how long a network keeps a resident's data after leaving."""
    from .core.errors import UserError
    from .core.models import Network
    from .privacy.retention import set_retention

    network = db.session.get(Network, network_id)
    if network is None:
        raise click.ClickException(f"No network with id {network_id}.")
    if months is not None:
        try:
            set_retention(network, months)
        except UserError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
    click.echo(
        f"Network {network.id} keeps data {network.retention_months} month(s) after leaving."
    )


@click.group("stats")
def stats_group() -> None:
    """Statistics: the disclosure audit of what the steering group sees."""


@stats_group.command("audit")
@click.option("--account", "email", help="Audit one account (default: every steering account).")
@with_appcontext
def stats_audit_command(email: str | None) -> None:
    """Attack everything an account can see (integer programming) and count pinned figures."""
    from .core.models import Membership, User
    from .stats.audit import audit_accounts
    from .timeutil import local_today

    query = db.select(User).order_by(User.email)
    if email:
        query = query.where(User.email == email.lower())
    else:
        steering = db.select(Membership.user_id).where(Membership.role == "steering")
        query = query.where(User.id.in_(steering))
    users = db.session.execute(query).scalars().all()
    if not users:
        raise click.ClickException("No such account.")
    results = audit_accounts(users, local_today(), echo=click.echo)
    counts = sum(r.counts for _, r in results)
    pinned = sum(len(r.pinned) for _, r in results)
    small = sum(len(r.pinned_small) for _, r in results)
    modelled = sum(r.ratios for _, r in results)
    click.echo(
        f"In all: {counts} person counts, {modelled} shares and means, {pinned} pinned, "
        f"{small} of them true 1-4."
    )


COMMANDS.append(stats_group)
