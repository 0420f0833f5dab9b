package io.claimgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.support.Http;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every end-to-end test class does: take the suite's Keycloak and upstream, start its own gateway (so its
 * database starts empty) before its tests and stop it after them, failures included.
 */
@ExtendWith(SharedSuite.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEndTest {

    protected SuiteServices suite;
    protected GatewayUnderTest gateway;

    @BeforeAll
    final void setUpGateway(SuiteServices suite) throws Exception {
        this.suite = suite;
        gateway = startGateway();
        givenTeams();
    }

    @AfterAll
    final void tearDownGateway() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            afterGatewayStopped();
        }
    }

    /** The gateway for this class; by default on the embedded PostgreSQL in a fresh directory. */
    protected GatewayUnderTest startGateway() throws Exception {
        return GatewayUnderTest.start(suite);
    }

    /** The teams this class's tests rely on; none by default. */
    protected void givenTeams() throws Exception {
    }

    /** Stops what {@link #startGateway()} started besides the gateway. */
    protected void afterGatewayStopped() throws Exception {
    }

    /** Creates a team with the master key, as an admin would. */
    protected void createTeam(String teamId, String... models) throws IOException, InterruptedException {
        String modelList = Arrays.stream(models).map(m -> "\"" + m + "\"").collect(Collectors.joining(","));
        HttpResponse<String> created = gateway.manage("/team/new",
                "{\"team_id\":\"" + teamId + "\",\"models\":[" + modelList + "]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    /** The DEMO upstream's reply text, which names who the gateway said was calling. */
    protected static String upstreamReply(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response).path("choices").path(0).path("message").path("content").asText();
    }
}
