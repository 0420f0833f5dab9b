package io.claimgate.gateway.request;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one request names, gathered place by place (path, query string, body fields, headers), with the rules that
 * make two places disagree: the one {@code model} a request runs on may be written in several places but must be
 * the same everywhere, and so must the end user. Further models (fallbacks, target models) are simply added.
 */
final class Reading {

    /** LiteLLM keeps no such limit, but no real model or end-user id comes near it, and a bound keeps errors small. */
    static final int MAX_NAME_LENGTH = 256;

    /** Every model is checked against the caller's grants; a bound keeps one request from asking for thousands. */
    static final int MAX_MODELS = 64;

    /** The model the request runs on (its comma parts), listed first so that {@code models().get(0)} is it. */
    private final Set<String> runModels = new LinkedHashSet<>();
    /** Fallbacks and target models, after the run models. */
    private final Set<String> furtherModels = new LinkedHashSet<>();
    private String model;
    private String modelPlace;
    private String endUser;
    private String endUserPlace;

    /**
     * The model the request runs on, as written in {@code place}. A comma-separated value names several models, as
     * LiteLLM then calls each of them (batch completions); each is authorised.
     */
    void model(String place, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        checkLength(value, "model");
        if (model != null && !model.equals(value)) {
            throw BadRequest.conflictingModels(model, modelPlace, value, place);
        }
        if (model == null) {
            model = value;
            modelPlace = place;
            commaList(value, runModels);
        }
    }

    /** A comma-separated list of models ({@code target_model_names}). */
    void modelList(String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        checkLength(value, "model");
        commaList(value, furtherModels);
    }

    /** One more model the upstream may call (a fallback, an evaluation's completion model). */
    void extraModel(String value) {
        if (value.isBlank()) {
            throw BadRequest.invalidModel("A fallback or target model must not be empty");
        }
        checkLength(value, "model");
        add(value, furtherModels);
    }

    /** The end user as written in {@code place}; blank values name nobody, as in LiteLLM. */
    void endUser(String place, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        if (value.length() > MAX_NAME_LENGTH) {
            throw BadRequest.invalidEndUser("The end user id in " + place + " is longer than " + MAX_NAME_LENGTH
                    + " characters");
        }
        if (endUser != null && !endUser.equals(value)) {
            throw BadRequest.conflictingEndUsers(endUserPlace, place);
        }
        endUser = value;
        endUserPlace = place;
    }

    RequestedAccess toAccess() {
        Set<String> models = new LinkedHashSet<>(runModels);
        models.addAll(furtherModels);
        return models.isEmpty() && endUser == null ? RequestedAccess.NONE
                : new RequestedAccess(new ArrayList<>(models), endUser);
    }

    private void commaList(String value, Set<String> into) {
        if (value.indexOf(',') < 0) {
            add(value, into);
            return;
        }
        // LiteLLM splits on ',' and strips each name (route_llm_request, auth_utils._append_model_candidates).
        List<String> names = new ArrayList<>();
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String name = value.substring(start, end).strip();
            if (name.isEmpty()) {
                throw BadRequest.invalidModel("A comma-separated model list must not have empty names");
            }
            names.add(name);
            start = end + 1;
        }
        names.forEach(name -> add(name, into));
    }

    private void add(String name, Set<String> into) {
        into.add(name);
        if (runModels.size() + furtherModels.size() > MAX_MODELS) {
            throw BadRequest.invalidModel("The request names more than " + MAX_MODELS + " models");
        }
    }

    private static void checkLength(String value, String what) {
        if (value.length() > MAX_NAME_LENGTH) {
            throw BadRequest.invalidModel("A " + what + " name is longer than " + MAX_NAME_LENGTH + " characters");
        }
    }
}
