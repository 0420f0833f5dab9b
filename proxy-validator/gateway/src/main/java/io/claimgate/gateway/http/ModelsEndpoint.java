package io.claimgate.gateway.http;

import io.claimgate.gateway.request.RequestedAccess;
import io.claimgate.model.AuthResult;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.access.ModelAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /models} and {@code /v1/models}: the {@code model_list} names the caller may call, in OpenAI's list shape.
 * The list is filtered by the same {@link ModelAccess} the model check uses (the team's models, else the user's, with
 * {@code *}, {@code all-proxy-models} and wildcards), so a model shown here is a model a request may name.
 */
public final class ModelsEndpoint {

    public static final Set<String> PATHS = Set.of("/models", "/v1/models");

    private final Authenticator authenticator;
    private final List<String> models;
    private final BearerToken credentials;

    public ModelsEndpoint(Authenticator authenticator, List<String> models) {
        this(authenticator, models, BearerToken.BUILT_IN);
    }

    /** @param credentials where the caller's credential is read from ({@code litellm_key_header_name}) */
    public ModelsEndpoint(Authenticator authenticator, List<String> models, BearerToken credentials) {
        this.authenticator = authenticator;
        this.models = List.copyOf(models);
        this.credentials = credentials;
    }

    public void handle(Request request, Response response, Callback callback, String route) {
        AuthResult caller = authenticator.authenticate(CallerRequests.of(credentials, request.getHeaders(), route,
                RequestedAccess.NONE));
        List<Map<String, Object>> data = new ArrayList<>();
        for (String id : ModelAccess.governing(caller.team(), caller.user()).allowedAmong(models)) {
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
