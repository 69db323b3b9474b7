package dev.weft.jsonrpc;

import java.io.IOException;

/**
 * Thrown by {@link Transport#send} when the peer refused this one message and the transport goes on: over Streamable
 * HTTP, a notification or an answer whose POST got a status other than 2xx. The connection turns it into an
 * {@link ExchangeFailedException}; any other {@code IOException} from {@code send} means the transport has ended.
 *
 * <p>Thrown to the thread that called {@code send}. It holds nothing but its message and cause, so it may be handed to
 * other threads.
 */
public class MessageRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused, and how
     */
    public MessageRefusedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was refused, and how
     * @param cause   the refusal, such as an HTTP status with a body excerpt
     */
    public MessageRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
