package dev.weft.jsonrpc;

/**
 * A frame that is not a valid JSON-RPC message. The stream it came from is still usable: the frame is answered or
 * dropped, and reading goes on.
 *
 * <p>{@link #id()} and {@link #kind()} say what could be read of the frame, so that the connection can answer a
 * request with the right error and id, or fail the pending call a broken response was meant for.
 *
 * <p>Thrown by the codec on the thread that decodes the frame, often a transport's own reading thread, and thrown again
 * by {@link Transport#receive()} to the connection's reader. Its fields are final, and the errors the codec makes carry
 * no {@code data}, so such an instance is immutable and may be handed between threads.
 */
public final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What the frame looked like. */
    public enum Kind {
        /** It had a method and an id. */
        REQUEST,
        /** It had a method and no id. */
        NOTIFICATION,
        /** It had no method (so it was meant as a response). */
        RESPONSE,
        /** It could not be read at all. */
        UNKNOWN
    }

    private final transient RpcError error;
    private final transient RequestId id;
    /** What the frame looked like. */
    private final Kind kind;

    /**
     * Creates the exception.
     *
     * @param error the error owed to the peer, or describing the defect; its message is this exception's
     * @param id    the frame's id when it could be read, else {@code null}
     * @param kind  what the frame looked like
     */
    public MalformedMessageException(RpcError error, RequestId id, Kind kind) {
        super(error.message());
        this.error = error;
        this.id = id;
        this.kind = kind;
    }

    /**
     * {@return the error owed to the peer (when the frame was a request) or describing the defect} Not serialized:
     * {@code null} after deserialization.
     */
    public RpcError error() {
        return error;
    }

    /** {@return the frame's id when it could be read, else {@code null}} Not serialized. */
    public RequestId id() {
        return id;
    }

    /** {@return what the frame looked like} */
    public Kind kind() {
        return kind;
    }
}
