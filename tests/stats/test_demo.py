"""The demo: the steering account sees a closed month and a trend straight away."""

from netvaerk.stats.models import AreaReference, MonthlyReport

from ..conftest import log_in


def test_demo_closes_months_and_enters_a_reference(app, client, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    closed = MonthlyReport.query.count()
    references = AreaReference.query.count()
    assert closed >= 3 and references >= 1
    assert runner.invoke(args=["demo"]).exit_code == 0  # idempotent
    assert MonthlyReport.query.count() == closed
    assert AreaReference.query.count() == references
    log_in(client, "steering@example.org", "netvaerk-demo")
    page = client.get("/stats/").get_data(as_text=True)
    assert "Seneste lukkede måned" in page
    assert 'role="img"' in page
    assert "Sammenligningstal" in page
