/**
 * MCP authorization, client side (protocol revision 2025-11-25): {@link dev.weft.auth.OAuthAuthorizer} plugs OAuth 2.1
 * into the Streamable HTTP transport as its {@link dev.weft.transport.HttpAuthorizer}. It discovers protected resource
 * and authorization server metadata, registers the client (pre-registered, client ID metadata document, or dynamic
 * registration), runs the authorization code grant with PKCE through a {@link dev.weft.auth.RedirectReceiver}, or the
 * client credentials grant, or cross-app access through an {@link dev.weft.auth.EnterpriseIdp}; refreshes tokens,
 * steps up scopes, and keeps what it obtained in a {@link dev.weft.auth.TokenStore}.
 *
 * <p>This package sits above {@code dev.weft.transport}, whose SPI it implements, and uses nothing above it.
 */
package dev.weft.auth;
