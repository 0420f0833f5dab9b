package io.claimgate.gateway.request;

import java.util.List;

/**
 * What a request names that the upstream will act on: every model it may call and the end user it bills.
 *
 * @param models  every model the upstream may use for the request, distinct: the model it runs on first (each part of
 *                a comma-separated model), then target models and fallbacks
 * @param endUser the end user, or {@code null}
 */
public record RequestedAccess(List<String> models, String endUser) {

    /** No model, no end user. */
    public static final RequestedAccess NONE = new RequestedAccess(List.of(), null);

    public RequestedAccess {
        models = List.copyOf(models);
    }

    /**
     * These models with a header's model ({@code X-Model}, {@code x-litellm-model}), which may repeat a model the
     * request names but not contradict it.
     *
     * @param header the header's name, for the refusal
     * @param model  its value, or {@code null} when absent
     * @throws io.claimgate.gateway.http.HttpError 400 when the header names a model the request does not
     */
    public RequestedAccess agreeingWith(String header, String model) {
        if (model == null || models.contains(model)) {
            return this;
        }
        if (!models.isEmpty()) {
            throw io.claimgate.gateway.http.JsonResponses.badRequest("conflicting_models", header + " names model "
                    + model + " and the request names " + models.get(0), "model");
        }
        return new RequestedAccess(List.of(model), endUser);
    }
}
