package dev.weft.acp;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The host's files as an agent sees them: serves {@code fs/read_text_file} and {@code fs/write_text_file}. A client
 * advertises {@code fs.readTextFile} and {@code fs.writeTextFile} only when it has one.
 *
 * <p>Each request runs on its own virtual thread (the agent may send several at once), never on the connection's
 * reader and not on the prompting thread: an implementation must be thread-safe and may block. What it throws decides
 * the agent's answer: a {@link dev.weft.jsonrpc.RpcErrorException} is sent as is (a refusal such as a path outside the
 * root is {@code -32602}); a {@link java.nio.file.NoSuchFileException} becomes {@code -32002} (resource not found);
 * any other {@link IOException} becomes {@code -32603} with its message.
 *
 * @see RootedFileSystem the default: confined to a root the host chooses
 */
public interface ClientFileSystem {

    /**
     * Reads a text file.
     *
     * @param sessionId the agent's session
     * @param path      an absolute path, as the agent sent it
     * @param line      the first line to return, counting from 1, or {@code null} for the first
     * @param limit     the most lines to return, or {@code null} for all
     * @return the text, lines joined with the line ends they had
     * @throws IOException if the file cannot be read; see the class comment for how it is answered
     */
    String readTextFile(String sessionId, Path path, Integer line, Integer limit) throws IOException;

    /**
     * Writes a text file, creating it (and its missing parent directories) or replacing its content.
     *
     * @param sessionId the agent's session
     * @param path      an absolute path, as the agent sent it
     * @param content   the whole new content
     * @throws IOException if the file cannot be written; see the class comment for how it is answered
     */
    void writeTextFile(String sessionId, Path path, String content) throws IOException;
}
