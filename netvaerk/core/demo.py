"""What every capability's demo step shares: the demo password and the demo accounts' e-mails."""

DEMO_PASSWORD = "netvaerk-demo"

# Further demo accounts that capabilities' demo steps create (they add their e-mails here), so
# that `flask demo` can tell demo data from real data.
EXTRA_DEMO_EMAILS: set[str] = set()
