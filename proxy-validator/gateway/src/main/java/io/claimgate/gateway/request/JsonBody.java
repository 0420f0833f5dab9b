package io.claimgate.gateway.request;

import io.claimgate.gateway.http.HttpError;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.claimgate.validator.AuthException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON request body, read once with a streaming parser: the members {@link BodyFields} needs are kept as trees,
 * everything else (messages, images, tools) is skipped token by token without being built.
 *
 * <p>LiteLLM parses a body as JSON whatever its {@code Content-Type} (http_parsing_utils._read_request_body: orjson,
 * then Python's json). Where Jackson and Python could disagree about what a body says, the body is refused: a member
 * written twice ({@code {"model":"a","model":"b"}}, Python keeps the last, at any depth), content after the object,
 * {@code NaN}, comments. Bodies that are not a JSON object at all name nothing for LiteLLM, but a body that is valid
 * JSON other than an object is refused as the mistake it is.
 */
final class JsonBody {

    /** Duplicate detection is a parser setting: a mapper of its own, never the shared one that writes responses. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonBody() {
    }

    /** Whether the body, after an optional UTF-8 BOM and JSON whitespace, starts like a JSON object. */
    static boolean looksLikeObject(byte[] body) {
        int i = firstSignificant(body);
        return i < body.length && body[i] == '{';
    }

    /** Whether the body starts like a JSON value other than an object. */
    static boolean looksLikeOtherJson(byte[] body) {
        int i = firstSignificant(body);
        if (i >= body.length) {
            return false;
        }
        byte b = body[i];
        return b == '[' || b == '"' || b == '-' || b >= '0' && b <= '9' || b == 't' || b == 'f' || b == 'n';
    }

    /** Refuses a body that is valid JSON but not an object; anything else that is not JSON names nothing. */
    static void refuseNonObject(byte[] body) {
        try (JsonParser parser = STRICT.createParser(body)) {
            parser.nextToken();
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return;
            }
        } catch (JacksonException notJson) {
            return;
        } catch (IOException unreadable) {
            return;
        }
        throw BadRequest.invalidJson("The request body must be a JSON object");
    }

    /**
     * The top-level members of a JSON object body that {@link BodyFields#NAMES} lists.
     *
     * @throws HttpError 400 for a body that is not exactly one valid JSON object
     */
    static Map<String, JsonNode> members(byte[] body) {
        try (JsonParser parser = STRICT.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw BadRequest.invalidJson("The request body must be a JSON object");
            }
            Map<String, JsonNode> members = new HashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (BodyFields.NAMES.contains(name)) {
                    members.put(name, STRICT.readTree(parser));
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw BadRequest.invalidJson("The request body has content after its JSON object");
            }
            return members;
        } catch (JacksonException e) {
            throw unreadable(e);
        } catch (IOException e) {
            throw BadRequest.invalidJson("The request body could not be read as JSON");
        }
    }

    /**
     * JSON text held in a string (a form field, or metadata sent as text): parsed as an object when it looks like one,
     * otherwise {@code null}. Text that looks like an object but does not parse is refused.
     */
    static JsonNode objectText(String text, String field) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("{")) {
            return null;
        }
        return structured(trimmed, field);
    }

    /** JSON text of a structured form field ({@code fallbacks='["gpt-4"]'}); refused when it does not parse. */
    static JsonNode structured(String text, String field) {
        try (JsonParser parser = STRICT.createParser(text)) {
            JsonNode node = STRICT.readTree(parser);
            if (node == null || parser.nextToken() != null) {
                throw BadRequest.invalidJson("'" + field + "' is not valid JSON");
            }
            return node;
        } catch (JacksonException e) {
            throw BadRequest.invalidJson("'" + field + "' is not valid JSON" + (isDuplicate(e)
                    ? ": it repeats a member" : ""));
        } catch (IOException e) {
            throw BadRequest.invalidJson("'" + field + "' is not valid JSON");
        }
    }

    private static HttpError unreadable(JacksonException e) {
        if (isDuplicate(e)) {
            return BadRequest.invalidJson("The request body repeats a JSON member; each member may appear once");
        }
        return BadRequest.invalidJson("The request body is not valid JSON");
    }

    private static boolean isDuplicate(JacksonException e) {
        String message = e.getOriginalMessage();
        return message != null && message.startsWith("Duplicate field");
    }

    private static int firstSignificant(byte[] body) {
        int i = 0;
        if (body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) {
            i = 3;
        }
        while (i < body.length && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) {
            i++;
        }
        return i;
    }
}
