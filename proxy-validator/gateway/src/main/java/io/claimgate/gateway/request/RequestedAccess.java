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
}
