package io.claimgate.gateway.http;

import io.claimgate.model.AuthResult;
import io.claimgate.validator.AuthRequest;
import io.claimgate.validator.Authenticator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /models} and {@code /v1/models}: the {@code model_list} names the caller may use, in OpenAI's list shape.
 * A team with models (other than {@code all-proxy-models}) sees only those; everyone else sees all.
 */
public final class ModelsEndpoint {

    public static final Set<String> PATHS = Set.of("/models", "/v1/models");
    private static final String ALL_PROXY_MODELS = "all-proxy-models";

    private final Authenticator authenticator;
    private final List<String> models;

    public ModelsEndpoint(Authenticator authenticator, List<String> models) {
        this.authenticator = authenticator;
        this.models = List.copyOf(models);
    }

    public void handle(Request request, Response response, Callback callback, String route) {
        AuthResult caller = authenticator.authenticate(new AuthRequest(BearerToken.from(request.getHeaders()), route,
                java.util.List.of(), ForwardAuth.blankToNull(request.getHeaders().get(ForwardAuth.TEAM)), null));
        List<String> allowed = caller.team() == null || caller.team().models().isEmpty()
                || caller.team().models().contains(ALL_PROXY_MODELS) ? models
                : models.stream().filter(caller.team().models()::contains).toList();
        List<Map<String, Object>> data = new ArrayList<>();
        for (String id : allowed) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("id", id);
            model.put("object", "model");
            model.put("created", 1677610602);
            model.put("owned_by", "openai");
            data.add(model);
        }
        JsonResponses.write(response, callback, 200, Map.of("object", "list", "data", data));
    }
}
