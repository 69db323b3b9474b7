package dev.weft.cli;

/**
 * The arguments of a command are wrong; the message is the one-line reason shown to the user, before the command's
 * usage. Checked, so that every parsing step says it can fail this way and the command turns it into exit status
 * {@value Main#USAGE}.
 */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String reason) {
        super(reason, null, false, false);
    }
}
