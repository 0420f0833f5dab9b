package io.claimgate.gateway.http;

import io.claimgate.gateway.request.RequestedAccess;
import io.claimgate.model.AuthResult;
import io.claimgate.model.Team;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.access.ModelAccess;
import io.claimgate.validator.access.ModelCatalogue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * {@code GET /models} and {@code /v1/models}: the names the caller may call, in OpenAI's list shape. The candidates
 * are the {@code model_list} names, the router's aliases and the caller's team model aliases; each is shown only when
 * the same {@link ModelAccess} decision the model check makes allows it (the team's models, else the user's, with
 * access groups, wildcards, provider wildcards and aliases followed to the model the upstream runs). So a model shown
 * here is a model a request may name, and a model a request may name from the proxy's list is shown.
 */
public final class ModelsEndpoint {

    public static final Set<String> PATHS = Set.of("/models", "/v1/models");

    private final Authenticator authenticator;
    private final ModelCatalogue catalogue;
    private final BearerToken credentials;

    /** Lists the catalogue's names as the authenticator's callers may call them. */
    public ModelsEndpoint(Authenticator authenticator, ModelCatalogue catalogue) {
        this(authenticator, catalogue, BearerToken.BUILT_IN);
    }

    /**
     * @param catalogue   the proxy's deployments and aliases
     * @param credentials where the caller's credential is read from ({@code litellm_key_header_name})
     */
    public ModelsEndpoint(Authenticator authenticator, ModelCatalogue catalogue, BearerToken credentials) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** Lists bare model names, without providers, access groups or aliases. */
    public ModelsEndpoint(Authenticator authenticator, List<String> models) {
        this(authenticator, ModelCatalogue.of(
                models.stream().map(name -> new ModelCatalogue.Deployment(name, null, List.of())).toList(), Map.of()));
    }

    /**
     * The list the caller may call, in OpenAI's shape.
     *
     * @throws io.claimgate.validator.AuthException when the caller is refused
     */
    public Map<String, Object> list(HttpHeaders headers, String route) {
        AuthResult caller = authenticator.authenticate(CallerRequests.of(credentials, headers, route,
                RequestedAccess.NONE));
        Team team = caller.team();
        Map<String, String> teamAliases = team == null ? Map.of() : team.modelAliases();
        List<Map<String, Object>> data = new ArrayList<>();
        for (String id : ModelAccess.governing(team, caller.user()).allowedAmong(catalogue, teamAliases)) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("id", id);
            model.put("object", "model");
            model.put("created", 1677610602);
            model.put("owned_by", "openai");
            data.add(model);
        }
        return Map.of("object", "list", "data", data);
    }
}
