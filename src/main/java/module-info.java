/**
 * Weft: a virtual-thread, structured-concurrency runtime for MCP and ACP agent hosts.
 */
module dev.weft {
    requires transitive com.fasterxml.jackson.databind;
    requires transitive org.eclipse.jetty.client;
    requires org.eclipse.jetty.server;
    requires com.networknt.schema;
    requires jdk.jfr;
    requires java.logging; // the CLI sets the library's log level

    exports dev.weft.scope;
    exports dev.weft.jsonrpc;
    exports dev.weft.transport;
    exports dev.weft.auth;
    exports dev.weft.mcp;
    exports dev.weft.acp;
    exports dev.weft.server;
    exports dev.weft.pool;
    exports dev.weft.conversation;
}
