"""Identical requests sent at the same moment, each from its own client and thread, as a
double click or two coordinators at once would (in tests marked `commits`)."""

import threading
from dataclasses import dataclass

SESSION_COOKIE = "netvaerk_session"


@dataclass
class Answer:
    """What one of the simultaneous requests got back."""

    status: int
    location: str
    text: str


def send_at_once(app, client, url: str, data: dict, times: int) -> list[Answer]:
    """POST `data` (with the CSRF token it already carries) to `url` `times` times at once,
    in the session of the logged-in `client`; the answers in no particular order."""
    cookie = client.get_cookie(SESSION_COOKIE, domain="localhost")
    barrier = threading.Barrier(times)
    answers: list[Answer] = []
    failures: list[BaseException] = []

    def send() -> None:
        try:
            own = app.test_client()
            if cookie is not None:
                own.set_cookie(SESSION_COOKIE, cookie.value, domain="localhost")
            barrier.wait(timeout=30)
            response = own.post(url, data=data)
            answers.append(
                Answer(response.status_code, response.location or "", response.get_data(True))
            )
            response.close()
        except Exception as error:  # an error the app let through: a 500 in production
            answers.append(Answer(500, "", repr(error)))
        except BaseException as error:  # reported in the test's own thread
            failures.append(error)

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return answers
