package io.claimgate.gateway.e2e;

import static io.claimgate.gateway.e2e.ErrorResponses.assertError;
import static io.claimgate.gateway.e2e.SuiteServices.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.support.Http;
import io.claimgate.gateway.store.EmbeddedDatabase;
import io.claimgate.validator.store.TcpProxy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway on an external PostgreSQL ({@code DATABASE_URL}) reached through a loopback forwarder that the test cuts
 * and restores: while the database is away the gateway answers 503 in LiteLLM's shape, and it serves again when the
 * database is back, without a restart.
 */
class DatabaseOutageEndToEndIT extends EndToEndTest {

    /** How long a recovered pool may take to serve again; generous for a busy two-core machine. */
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(60);

    private EmbeddedDatabase database;
    private TcpProxy link;
    private boolean linkCut;

    /** An external database as an operator runs one, reached only through the link the test can cut. */
    @Override
    protected GatewayUnderTest startGateway() throws Exception {
        database = EmbeddedDatabase.start(suite.newDirectory("external-postgres"), 0);
        link = new TcpProxy(database.port());
        return GatewayUnderTest.start(suite, "postgresql://postgres:postgres@127.0.0.1:" + link.port() + "/postgres");
    }

    @Override
    protected void givenTeams() throws Exception {
        createTeam("research", "gpt-4o-mini");
    }

    @Override
    protected void afterGatewayStopped() throws Exception {
        try {
            if (link != null) {
                link.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void answers503WhileTheDatabaseIsAwayAndServesAgainWhenItIsBack() throws Exception {
        // given alice, not yet seen by this gateway, so her team must come from the database
        String token = suite.token(ALICE);

        // when the database goes away
        link.cut();
        linkCut = true;
        HttpResponse<String> chatDuringOutage = gateway.chat(token, "gpt-4o-mini");
        HttpResponse<String> managementDuringOutage = gateway.read("/team/info", "team_id", "research");
        HttpResponse<String> readinessDuringOutage = gateway.http().get("/health/readiness", null);
        HttpResponse<String> livenessDuringOutage = gateway.http().get("/health/liveliness", null);
        // and comes back on the same address
        link.restore();
        linkCut = false;
        HttpResponse<String> chatAfterOutage = awaitStatus(200, () -> gateway.chat(token, "gpt-4o-mini"));

        // then
        assertError(chatDuringOutage, 503, "service_unavailable");
        assertError(managementDuringOutage, 503, "service_unavailable");
        assertThat(readinessDuringOutage.statusCode()).isEqualTo(503);
        assertThat(Http.json(readinessDuringOutage).path("checks").path("database").asText())
                .isEqualTo("unavailable");
        assertThat(livenessDuringOutage.statusCode()).isEqualTo(200);
        assertThat(upstreamReply(chatAfterOutage)).contains("team=research");
        assertThat(gateway.http().get("/health/readiness", null).statusCode()).isEqualTo(200);
    }

    @AfterEach
    void restoreTheLinkIfATestLeftItCut() throws Exception {
        if (linkCut) {
            link.restore();
            linkCut = false;
        }
    }

    /** The gateway's answer once it is the expected status, or its last answer when the deadline passes. */
    private static HttpResponse<String> awaitStatus(int status, Call call) throws Exception {
        Instant deadline = Instant.now().plus(RECOVERY_DEADLINE);
        HttpResponse<String> last = call.send();
        while (last.statusCode() != status && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            last = call.send();
        }
        return last;
    }

    @FunctionalInterface
    private interface Call {
        HttpResponse<String> send() throws Exception;
    }
}
