package io.claimgate.gateway.request;

import io.claimgate.gateway.http.HttpError;
import java.util.List;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The end user named by headers. LiteLLM reads {@code x-litellm-customer-id} and {@code x-litellm-end-user-id} with no
 * configuration (constants.STANDARD_CUSTOMER_ID_HEADERS, auth_utils.get_end_user_id_from_request_body) before it
 * looks at the body; two different values among them are refused.
 */
public final class EndUserHeader {

    public static final String END_USER_ID = "x-litellm-end-user-id";
    public static final String CUSTOMER_ID = "x-litellm-customer-id";

    private EndUserHeader() {
    }

    /**
     * The end user the headers name, or {@code null}; blank values name nobody, as in LiteLLM.
     *
     * @throws io.claimgate.gateway.http.HttpError 400 when the headers name two different end users
     */
    public static String from(HttpHeaders headers) {
        String endUser = null;
        for (String name : List.of(CUSTOMER_ID, END_USER_ID)) {
            for (String value : headers.getAll(name)) {
                if (value == null || value.isBlank()) {
                    continue;
                }
                if (endUser != null && !endUser.equals(value)) {
                    throw BadRequest.conflictingEndUsers("header '" + CUSTOMER_ID + "'",
                            "header '" + END_USER_ID + "' (or a repeated one)");
                }
                endUser = value;
            }
        }
        return endUser;
    }
}
