package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.gateway.request.RequestedAccess;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.AuthRequest;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class CallerRequestsTest {

    @Test
    void carriesTheCredentialRouteTeamAndWhatTheRequestNames() {
        HttpFields headers = HttpFields.build().add("Authorization", "Bearer tok")
                .add(CallerRequests.TEAM_HEADER, " research ");

        AuthRequest request = CallerRequests.of(headers, "/chat/completions",
                new RequestedAccess(List.of("gpt-4o", "claude"), "customer-1"));

        assertThat(request).isEqualTo(new AuthRequest("tok", "/chat/completions", List.of("gpt-4o", "claude"),
                "research", "customer-1"));
    }

    @Test
    void aRequestWithoutBodyNamesNoModelAndNoEndUser() {
        AuthRequest request = CallerRequests.of(HttpFields.build().add("Authorization", "Bearer tok"), "/models");

        assertThat(request).isEqualTo(new AuthRequest("tok", "/models", List.of(), null, null));
    }

    @Test
    void aBlankTeamHeaderNamesNoTeam() {
        assertThat(CallerRequests.team(HttpFields.build().add(CallerRequests.TEAM_HEADER, "  "))).isNull();
        assertThat(CallerRequests.team(HttpFields.build())).isNull();
    }

    @Test
    void theSameTeamSentTwiceIsOneTeam() {
        HttpFields headers = HttpFields.build().add(CallerRequests.TEAM_HEADER, "research")
                .add(CallerRequests.TEAM_HEADER, "research ");

        assertThat(CallerRequests.team(headers)).isEqualTo("research");
    }

    @Test
    void refusesTwoDifferentTeamsBecauseTheUpstreamMightActOnTheOneNotChecked() {
        HttpFields headers = HttpFields.build().add(CallerRequests.TEAM_HEADER, "research")
                .add(CallerRequests.TEAM_HEADER, "finance");

        assertThatThrownBy(() -> CallerRequests.team(headers)).isInstanceOfSatisfying(HttpError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.reason()).isEqualTo("conflicting_headers");
        });
    }
}
