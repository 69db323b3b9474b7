package dev.weft.server;

/**
 * A {@link SharedContext} could not be built; the cause is the builder's failure. The next caller builds again.
 *
 * <p>Thrown to the thread that called {@link SharedContext#get()}: the one that built, or one that waited for the
 * build. Each caller gets an instance of its own, with the builder's failure as the cause they share; it holds nothing
 * else, so it may be handed to other threads.
 */
public final class SharedContextException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SharedContextException(String name, Throwable cause) {
        super("shared context " + name + " failed to build: " + cause, cause);
    }
}
