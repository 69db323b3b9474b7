package dev.weft.server;

/** A {@link SharedContext} could not be built; the cause is the builder's failure. The next caller builds again. */
public final class SharedContextException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SharedContextException(String name, Throwable cause) {
        super("shared context " + name + " failed to build: " + cause, cause);
    }
}
