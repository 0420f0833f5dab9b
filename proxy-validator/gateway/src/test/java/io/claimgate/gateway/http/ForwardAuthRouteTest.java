package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.gateway.config.RouteSource;
import org.junit.jupiter.api.Test;

/** Where {@code /auth} takes its route from: one configured place, and every other place must agree. */
class ForwardAuthRouteTest {

    @Test
    void readsTheRouteAndQueryFromTheConfiguredHeader() {
        ForwardAuth.NamedRoute route = ForwardAuth.route(RouteSource.X_ORIGINAL_URI, null,
                "/v1/chat/completions?model=gpt-4o", null, null);

        assertThat(route).isEqualTo(new ForwardAuth.NamedRoute("/v1/chat/completions", "model=gpt-4o"));
    }

    @Test
    void readsEnvoysPathAfterAuthWithTheRequestsOwnQuery() {
        ForwardAuth.NamedRoute route = ForwardAuth.route(RouteSource.PATH, null, null, "/v1/embeddings",
                "model=gpt-4o");

        assertThat(route).isEqualTo(new ForwardAuth.NamedRoute("/v1/embeddings", "model=gpt-4o"));
    }

    @Test
    void acceptsTheOtherHeaderWhenItNamesTheSameRoute() {
        ForwardAuth.NamedRoute route = ForwardAuth.route(RouteSource.X_FORWARDED_URI, "/v1/messages",
                "/v1/messages", null, null);

        assertThat(route.route()).isEqualTo("/v1/messages");
    }

    @Test
    void refusesTheOtherHeaderNamingAnotherRoute() {
        assertThatThrownBy(() -> ForwardAuth.route(RouteSource.X_ORIGINAL_URI, "/", "/key/generate", null, null))
                .isInstanceOfSatisfying(HttpError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo("conflicting_routes");
                });
    }

    @Test
    void refusesTheOtherHeaderNamingAnotherModelInItsQuery() {
        assertThatThrownBy(() -> ForwardAuth.route(RouteSource.X_FORWARDED_URI, "/v1/chat/completions?model=a",
                "/v1/chat/completions?model=b", null, null))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.reason()).isEqualTo("conflicting_routes"));
    }

    @Test
    void refusesAHeaderNamingAnotherRouteThanEnvoysPath() {
        assertThatThrownBy(() -> ForwardAuth.route(RouteSource.PATH, null, "/", "/key/generate", null))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.reason()).isEqualTo("conflicting_routes"));
    }

    @Test
    void neverFallsBackToAnotherPlaceWhenTheConfiguredOneIsMissing() {
        assertThatThrownBy(() -> ForwardAuth.route(RouteSource.X_ORIGINAL_URI, "/v1/chat/completions", null, null,
                null)).isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.reason()).isEqualTo("route_missing"));
    }

    @Test
    void refusesAnAmbiguousPathInTheHeaderAsTheProxyWould() {
        assertThatThrownBy(() -> ForwardAuth.route(RouteSource.X_ORIGINAL_URI, null,
                "/v1/chat/completions/../../key/generate", null, null))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
