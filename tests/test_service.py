import concurrent.futures
import threading
import time

import httpx2
import pytest
import uvicorn
from pydantic import SecretStr

from extractor.pipeline import Extractor
from extractor.service import create_app
from tests.conftest import Reply, case_text, completion, posting_json, quick_retry_client

SEEKER = "SEEKING WORK | Remote | I'm looking for a backend role. My résumé: https://me.example/cv"


@pytest.fixture
def serve(endpoint, settings):
    """Start the real service on a loopback port; returns an httpx2 client bound to it."""
    servers = []

    def start(**groups):
        configured = settings.updated(cache={"enabled": False}, **groups)
        extractor = Extractor(configured, llm=quick_retry_client(configured, max_retries=0, timeout=5.0))
        server = uvicorn.Server(uvicorn.Config(create_app(configured, extractor=extractor), host="127.0.0.1",
                                               port=0, log_config=None, lifespan="on"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        servers.append((server, thread))
        return httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def test_extract_returns_the_record_with_its_provenance(endpoint, serve):
    endpoint.default = endpoint.answer(posting_json())
    client = serve()
    response = client.post("/v1/extract", json={"text": case_text("seed_000_descript").decode()},
                           headers={"x-request-id": "req-42"})
    assert response.status_code == 200
    body = response.json()
    assert body["record"]["company"] == "Descript" and body["record"]["salary"]["min"] == 160000
    assert body["model"] == "fake" and body["prompt_version"].startswith("extract@")
    assert body["cached"] is False and body["usage"] == {"prompt_tokens": 100, "completion_tokens": 20}
    assert response.headers["x-request-id"] == "req-42"
    assert client.post("/v1/extract", json={"text": "x"}).headers["x-request-id"]  # one is made up when absent


@pytest.mark.parametrize(
    ("payload", "reply", "status", "error_type"),
    [
        ({"text": "   "}, None, 400, "EmptyInputError"),
        ({"txt": "typo"}, None, 400, "InvalidInputError"),
        ({"text": "x" * 500_000}, None, 413, "InputTooLargeError"),
        ("not json", None, 400, "InvalidInputError"),
        ({"text": SEEKER}, None, 422, "NotAJobPostingError"),
        ({"text": "Chef wanted in Croydon"}, Reply(status=401, body={"error": {"message": "bad key"}}), 502,
         "ProviderError"),
        ({"text": "Chef wanted in Croydon"}, Reply(status=503, body={"error": {"message": "down"}}), 503,
         "ProviderUnavailableError"),
        ({"text": "Chef wanted in Croydon"}, Reply(body=completion("{broken")), 502, "OutputValidationError"),
    ],
    ids=["empty", "schema", "too-large", "not-json", "not-a-posting", "provider-refused", "provider-down", "bad-output"],
)
def test_every_failure_is_a_typed_error_with_a_fitting_status(endpoint, serve, payload, reply, status, error_type):
    endpoint.default = reply
    client = serve(question={"max_reasks": 0})
    if isinstance(payload, str):
        response = client.post("/v1/extract", content=payload, headers={"content-type": "application/json"})
    else:
        response = client.post("/v1/extract", json=payload)
    assert response.status_code == status
    body = response.json()
    assert body["error"]["type"] == error_type and body["error"]["message"]
    assert body["prompt_version"].startswith("extract@")


def test_a_slow_extraction_times_out_with_504(endpoint, serve):
    endpoint.default = Reply(body=completion(posting_json()), delay=1.0)
    response = serve(service={"timeout": 0.3}).post("/v1/extract", json={"text": "Chef wanted in Croydon"})
    assert response.status_code == 504 and response.json()["error"]["type"] == "ServiceTimeoutError"


def test_past_capacity_requests_get_429_with_retry_after_and_none_is_lost(endpoint, serve):
    endpoint.default = Reply(body=completion(posting_json()), delay=0.4)
    client = serve(service={"max_concurrent": 1, "max_queue": 1})
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(lambda i: client.post("/v1/extract", json={"text": f"Chef wanted {i}"}), range(6)))
    codes = sorted(r.status_code for r in responses)
    assert codes.count(200) >= 2 and 429 in codes and set(codes) <= {200, 429}
    for response in responses:
        assert "record" in response.json() or response.json()["error"]["type"] == "OverloadedError"
        if response.status_code == 429:
            assert response.headers["retry-after"] == "1"


def test_a_body_over_the_limit_is_refused_before_parsing(serve):
    response = serve(service={"max_body_bytes": 100}).post("/v1/extract", json={"text": "y" * 200})
    assert response.status_code == 413 and response.json()["error"]["type"] == "InputTooLargeError"


def test_batch_returns_one_result_per_item_in_order(endpoint, serve):
    endpoint.default = endpoint.answer(posting_json())
    response = serve().post("/v1/extract/batch", json={"texts": ["Software Engineer - Platform wanted in Croydon", "", SEEKER]})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["record"]["title"] == "Software Engineer - Platform"
    assert [r["error"]["type"] if r["error"] else None for r in results] == [
        None, "EmptyInputError", "NotAJobPostingError"
    ]
    assert serve().post("/v1/extract/batch", json={"texts": ["x"] * 33}).status_code == 400


def test_a_bug_in_one_batch_item_is_an_internal_error_of_that_item_alone(endpoint, serve, monkeypatch):
    endpoint.default = endpoint.answer(posting_json())
    client = serve()
    real = Extractor.arun

    async def arun(self, raw, **options):
        if "boom" in str(raw):
            raise KeyError("a bug")
        return await real(self, raw, **options)

    monkeypatch.setattr(Extractor, "arun", arun)
    results = client.post("/v1/extract/batch", json={"texts": ["boom", "Software Engineer - Platform wanted in Croydon"]}).json()
    assert results["results"][0]["error"] == {"type": "InternalError", "message": "internal error; the server log has the details"}
    assert results["results"][1]["record"]["title"] == "Software Engineer - Platform"


def test_api_key_auth(endpoint, serve):
    endpoint.default = endpoint.answer(posting_json())
    client = serve(service={"api_key": SecretStr("s3cret")})
    assert client.post("/v1/extract", json={"text": "Chef wanted"}).status_code == 401
    assert client.post("/v1/extract", json={"text": "Chef wanted"}, headers={"authorization": "Bearer nope"}).status_code == 401
    ok = client.post("/v1/extract", json={"text": "Chef wanted"}, headers={"authorization": "Bearer s3cret"})
    assert ok.status_code == 200
    assert client.get("/healthz").status_code == 200  # probes need no key


def test_health_readiness_and_metrics(endpoint, serve, settings):
    endpoint.default = endpoint.answer(posting_json())
    client = serve()
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    before = client.get("/metrics").text
    assert 'extractor_requests_total{outcome="200",route="/v1/extract"}' not in before
    client.post("/v1/extract", json={"text": "Chef wanted in Croydon"})
    client.post("/v1/extract", json={"text": ""})
    after = client.get("/metrics").text
    assert 'extractor_requests_total{outcome="200",route="/v1/extract"} 1.0' in after
    assert 'extractor_requests_total{outcome="400",route="/v1/extract"} 1.0' in after
    assert 'extractor_cache_lookups_total{result="miss"} 1.0' in after
    assert 'extractor_llm_tokens_total{kind="prompt"} 100.0' in after
    assert "extractor_request_seconds_bucket" in after and "extractor_in_flight_requests" in after

    down = serve(endpoint={"base_url": "http://127.0.0.1:9/v1"})
    assert down.get("/readyz").status_code == 503


def test_the_openapi_document_describes_the_routes(serve):
    document = serve().get("/openapi.json").json()
    extract = document["paths"]["/v1/extract"]["post"]
    assert set(extract["responses"]) >= {"200", "400", "413", "422", "429", "502", "503", "504"}
    assert "JobPosting" in document["components"]["schemas"]
    assert {"/healthz", "/readyz", "/metrics", "/v1/extract/batch"} <= set(document["paths"])


def test_the_bearer_scheme_is_case_insensitive_and_a_bare_key_is_refused(endpoint, serve):
    endpoint.default = endpoint.answer(posting_json())
    client = serve(service={"api_key": SecretStr("s3cret")})
    for header in ("bearer s3cret", "BEARER s3cret", "Bearer  s3cret"):
        assert client.post("/v1/extract", json={"text": "Chef wanted"}, headers={"authorization": header}).status_code == 200
    for header in ("s3cret", "Basic s3cret", "Bearer", "Bearers3cret"):
        response = client.post("/v1/extract", json={"text": "Chef wanted"}, headers={"authorization": header})
        assert response.status_code == 401, header


def test_a_body_that_is_not_declared_json_gets_415(endpoint, serve):
    client = serve()
    response = client.post("/v1/extract", content='{"text": "Chef wanted"}', headers={"content-type": "text/plain"})
    assert response.status_code == 415
    assert response.json()["error"]["type"] == "UnsupportedMediaTypeError"
    assert "application/json" in response.json()["error"]["message"]
    ok = client.post("/v1/extract", content='{"text": "Chef wanted"}', headers={"content-type": "application/json; charset=utf-8"})
    assert ok.status_code != 415
    assert "415" in client.get("/openapi.json").json()["paths"]["/v1/extract"]["post"]["responses"]


def test_a_chunked_body_over_the_limit_gets_413_without_being_read_whole(serve):
    import socket

    client = serve(service={"max_body_bytes": 100})
    with socket.create_connection((client.base_url.host, client.base_url.port), timeout=5) as connection:
        connection.sendall(b"POST /v1/extract HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b'{"text": "' + b"y" * 200
        connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        # The rest of the body never comes: a server that read it whole before answering would wait for ever.
        connection.settimeout(3)
        response = b""
        while b"}}" not in response and (data := connection.recv(65536)):
            response += data
    assert response.startswith(b"HTTP/1.1 413"), response
    assert b"InputTooLargeError" in response


def test_the_request_timeout_counts_the_time_spent_queued(endpoint, serve):
    endpoint.default = Reply(body=completion(posting_json()), delay=1.0)
    client = serve(service={"max_concurrent": 1, "timeout": 1.5})

    def post(text):
        started = time.monotonic()
        response = client.post("/v1/extract", json={"text": text})
        return response.status_code, time.monotonic() - started

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        first = pool.submit(post, "Chef wanted in Croydon")
        time.sleep(0.3)
        queued = client.get("/metrics").text
        second = pool.submit(post, "Cook wanted in Leeds")
        time.sleep(0.3)
        queued = client.get("/metrics").text
        (first_status, _), (second_status, second_seconds) = first.result(), second.result()
    assert first_status == 200
    assert second_status == 504 and second_seconds < 1.9  # 0.7 s queued + 1 s of work is past 1.5 s
    assert "extractor_queued_extractions 1.0" in queued
    assert "extractor_queued_extractions 0.0" in client.get("/metrics").text


def test_a_timed_out_request_gives_its_model_slot_back(endpoint, serve):
    def router(request):
        slow = "slow" in request["messages"][-1]["content"]
        return Reply(body=completion(posting_json()), delay=3.0 if slow else 0.0)

    endpoint.router = router
    client = serve(service={"max_concurrent": 1, "timeout": 0.5})
    assert client.post("/v1/extract", json={"text": "A slow chef wanted"}).status_code == 504
    started = time.monotonic()
    response = client.post("/v1/extract", json={"text": "Chef wanted in Croydon"})
    assert response.status_code == 200 and time.monotonic() - started < 1.0


def test_metrics_label_requests_by_route_template_not_raw_path(endpoint, serve):
    client = serve()
    for path in ("/v1/nope-1", "/v1/nope-2", "/v1/extract/nope"):
        assert client.post(path, json={"text": "x"}).status_code == 404
    metrics = client.get("/metrics").text
    assert "nope" not in metrics
    assert 'extractor_requests_total{outcome="404",route="unmatched"} 3.0' in metrics
