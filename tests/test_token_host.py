"""The access token travels only to the account's API host (and, for a media download,
to Meta's media CDN over HTTPS): an absolute URL in an answer never redirects it."""

from urllib.parse import urlsplit

import pytest
import requests

from dental_whatsapp.tools.cloud_api import CloudApiClient, UntrustedUrlError
from wa_simulator import Simulator


@pytest.fixture
def sims():
    practice = Simulator(port=0, access_token="tok", auto_deliver=False)
    stranger = Simulator(port=0, access_token="tok", auto_deliver=False)
    practice.start()
    stranger.start()
    yield practice, stranger
    practice.stop()
    stranger.stop()


def graph_calls(sim):
    return requests.get(sim.url + "/_sim/requests", timeout=10).json()


def test_a_media_url_on_another_host_gets_no_token(sims):
    practice, stranger = sims
    client = CloudApiClient(
        "tok", practice.phone_number_id, practice.waba_id, base_url=practice.url
    )
    with pytest.raises(UntrustedUrlError):
        client.download_media(stranger.url + "/v23.0/media/1")
    with pytest.raises(UntrustedUrlError):
        client._request("GET", url=stranger.url + "/v23.0/whatever")
    assert graph_calls(stranger) == []


def test_same_host_other_port_or_scheme_is_another_host(sims):
    practice, _stranger = sims
    client = CloudApiClient("tok", "1", "2", base_url=practice.url)
    where = urlsplit(practice.url)
    for url in (
        f"https://{where.hostname}:{where.port}/v23.0/x",  # same host, other scheme
        f"http://{where.hostname}:{where.port + 1}/v23.0/x",  # same host, other port
        f"http://user:pw@{where.netloc}/v23.0/x",
    ):
        with pytest.raises(UntrustedUrlError):
            client._request("GET", url=url)


def test_meta_media_cdn_only_over_https_and_only_for_media():
    client = CloudApiClient("tok", "1", "2", base_url="https://graph.facebook.com")
    cdn = urlsplit("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1")
    client._check_token_host(cdn, media=True)
    with pytest.raises(UntrustedUrlError):
        client._check_token_host(cdn, media=False)
    with pytest.raises(UntrustedUrlError):
        client._check_token_host(urlsplit("http://lookaside.fbsbx.com/x"), media=True)
    with pytest.raises(UntrustedUrlError):
        client._check_token_host(urlsplit("https://lookaside.fbsbx.com.evil.example/x"), media=True)
