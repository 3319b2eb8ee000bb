"""An example housing-association intranet: a Flask app with its own users, login page,
layout and Danish/English, its own Flask-SQLAlchemy, Flask-Login, Flask-Babel and
Flask-Migrate, and netvaerk mounted inside it under /netvaerk.

    flask --app examples/intranet/intranet.py db upgrade              # the intranet's tables
    flask --app examples/intranet/intranet.py netvaerk upgrade-db     # netvaerk's tables
    flask --app examples/intranet/intranet.py add-user anna anna@example.org "Anna Holm"
    flask --app examples/intranet/intranet.py run
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, flash, redirect, render_template, request, session, url_for
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import (
    LoginManager,
    UserMixin,
    login_required,
    login_user,
    logout_user,
)
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from netvaerk import Netvaerk

HERE = Path(__file__).resolve().parent
LANGUAGES = ("da", "en")

db = SQLAlchemy()
login = LoginManager()
babel = Babel()
migrate = Migrate()
csrf = CSRFProtect()


class IntranetUser(UserMixin, db.Model):
    """An employee of the housing association, as the intranet knows them."""

    __tablename__ = "intranet_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))


@login.user_loader
def load_user(user_id: str) -> IntranetUser | None:
    """The intranet's own user loader."""
    return db.session.get(IntranetUser, int(user_id)) if user_id.isdigit() else None


def select_locale() -> str:
    """The intranet's locale selector: the chosen language, else the browser's, else Danish."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default="da")


def create_app(config: dict | None = None) -> Flask:
    """The intranet app; `config` overrides the defaults (tests pass their database)."""
    app = Flask(__name__, template_folder=str(HERE / "templates"))
    app.config.update(
        SECRET_KEY="change-me-in-production",
        SQLALCHEMY_DATABASE_URI="sqlite:///" + str(HERE / "intranet.sqlite"),
        BABEL_TRANSLATION_DIRECTORIES=str(HERE / "translations"),
        NETVAERK_BASE_TEMPLATE="intranet/base.html",
    )
    app.config.update(config or {})
    db.init_app(app)
    migrate.init_app(app, db, directory=str(HERE / "migrations"))
    login.init_app(app)
    login.login_view = "login_page"
    login.login_message = _l("Log in to the intranet to see this page.")
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    register_pages(app)
    Netvaerk(app, url_prefix="/netvaerk")
    return app


def register_pages(app: Flask) -> None:
    """The intranet's own pages and command."""

    @app.context_processor
    def locale_context():
        return {"intranet_locale": str(get_locale())}

    @app.route("/")
    @login_required
    def front_page():
        return render_template("intranet/home.html")

    @app.route("/login", methods=["GET", "POST"])
    def login_page():
        if request.method == "POST":
            user = db.session.execute(
                db.select(IntranetUser).where(IntranetUser.username == request.form["username"])
            ).scalar_one_or_none()
            if user and check_password_hash(user.password_hash, request.form["password"]):
                login_user(user)
                target = request.args.get("next", "")
                safe = target.startswith("/") and not target.startswith("//")
                return redirect(target if safe else url_for("front_page"))
            flash(_("Wrong user name or password."))
        return render_template("intranet/login.html")

    @app.route("/logout", methods=["POST"])
    def logout_page():
        logout_user()
        return redirect(url_for("login_page"))

    @app.route("/sprog", methods=["POST"])
    def choose_language():
        if request.form.get("lang") in LANGUAGES:
            session["lang"] = request.form["lang"]
        return redirect(url_for("front_page"))

    @app.cli.command("add-user")
    @click.argument("username")
    @click.argument("email")
    @click.argument("name")
    @click.password_option()
    def add_user(username, email, name, password):
        """Add an intranet user."""
        db.session.add(
            IntranetUser(
                username=username,
                email=email,
                name=name,
                password_hash=generate_password_hash(password),
            )
        )
        db.session.commit()
        click.echo(f"Added {username}.")
