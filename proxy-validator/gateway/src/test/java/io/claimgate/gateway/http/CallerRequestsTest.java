package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.gateway.request.RequestedAccess;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.AuthRequest;
import java.util.List;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class CallerRequestsTest {

    /** As the decoder hands them over, but taking raw values: blank ones too, which it trims to empty. */
    private static final DefaultHttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);

    @Test
    void carriesTheCredentialRouteTeamAndWhatTheRequestNames() {
        HttpHeaders headers = HEADERS.newHeaders().add("Authorization", "Bearer tok")
                .add(CallerRequests.TEAM_HEADER, " research ");

        AuthRequest request = CallerRequests.of(headers, "/chat/completions",
                new RequestedAccess(List.of("gpt-4o", "claude"), "customer-1"));

        assertThat(request).isEqualTo(new AuthRequest("tok", "/chat/completions", List.of("gpt-4o", "claude"),
                "research", "customer-1"));
    }

    @Test
    void aRequestWithoutBodyNamesNoModelAndNoEndUser() {
        AuthRequest request = CallerRequests.of(HEADERS.newHeaders().add("Authorization", "Bearer tok"), "/models");

        assertThat(request).isEqualTo(new AuthRequest("tok", "/models", List.of(), null, null));
    }

    @Test
    void aBlankTeamHeaderNamesNoTeam() {
        assertThat(CallerRequests.team(HEADERS.newHeaders().add(CallerRequests.TEAM_HEADER, "  "))).isNull();
        assertThat(CallerRequests.team(HEADERS.newHeaders())).isNull();
    }

    @Test
    void theSameTeamSentTwiceIsOneTeam() {
        HttpHeaders headers = HEADERS.newHeaders().add(CallerRequests.TEAM_HEADER, "research")
                .add(CallerRequests.TEAM_HEADER, "research ");

        assertThat(CallerRequests.team(headers)).isEqualTo("research");
    }

    @Test
    void refusesTwoDifferentTeamsBecauseTheUpstreamMightActOnTheOneNotChecked() {
        HttpHeaders headers = HEADERS.newHeaders().add(CallerRequests.TEAM_HEADER, "research")
                .add(CallerRequests.TEAM_HEADER, "finance");

        assertThatThrownBy(() -> CallerRequests.team(headers)).isInstanceOfSatisfying(HttpError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.reason()).isEqualTo("conflicting_headers");
        });
    }
}
