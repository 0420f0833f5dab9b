package io.claimgate.gateway.spend;

/**
 * The tokens one answer reports, in LiteLLM's terms: {@code prompt_tokens}, {@code completion_tokens} and
 * {@code total_tokens}, whichever shape (OpenAI's or Anthropic's) the upstream answered in.
 *
 * @param promptTokens     tokens read: OpenAI's {@code prompt_tokens}, or Anthropic's and the Responses API's
 *                         {@code input_tokens} (plus Anthropic's cache read and creation tokens, which it bills as
 *                         input but does not count in {@code input_tokens})
 * @param completionTokens tokens written: {@code completion_tokens} or {@code output_tokens}
 * @param totalTokens      {@code total_tokens} when reported, else the sum of the two
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens) {

    /** An answer that reported nothing: it is recorded with zero tokens, never guessed. */
    public static final Usage NONE = new Usage(0, 0, 0);

    public Usage {
        if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
    }

    /** Usage with the total computed, for shapes that report no {@code total_tokens}. */
    public static Usage of(long promptTokens, long completionTokens) {
        return new Usage(promptTokens, completionTokens, promptTokens + completionTokens);
    }
}
