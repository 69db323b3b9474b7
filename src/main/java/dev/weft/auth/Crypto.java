package dev.weft.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The JDK cryptography authorization needs: random values for PKCE verifiers and {@code state} (RFC 7636), the S256
 * code challenge, and JWT client assertions signed with ES256 or RS256 (RFC 7523). Stateless; thread-safe; nothing
 * blocks beyond reading the system's entropy.
 */
final class Crypto {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /** How long a client assertion is valid. */
    static final long ASSERTION_SECONDS = 300;
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private Crypto() {
    }

    /** 32 random bytes, base64url: a PKCE code verifier of 43 characters, or a {@code state}. */
    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /** The S256 code challenge of {@code verifier}: base64url(SHA-256(ASCII(verifier))). */
    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return BASE64URL.encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * A client assertion for {@code client}: a JWT whose issuer and subject are its client id, audience
     * {@code audience} (the authorization server's issuer), valid for {@value #ASSERTION_SECONDS} seconds from
     * {@code now}, with a random {@code jti}.
     *
     * @throws IOException when signing fails (a key the provider refuses)
     */
    static String clientAssertion(ClientCredentials.PrivateKeyJwt client, String audience, Instant now)
            throws IOException {
        ObjectNode header = AuthHttp.JSON.createObjectNode().put("alg", client.algorithm()).put("typ", "JWT");
        long issuedAt = now.getEpochSecond();
        ObjectNode claims = AuthHttp.JSON.createObjectNode().put("iss", client.clientId())
                .put("sub", client.clientId()).put("aud", audience).put("iat", issuedAt)
                .put("exp", issuedAt + ASSERTION_SECONDS).put("jti", UUID.randomUUID().toString());
        String signingInput = BASE64URL.encodeToString(AuthHttp.JSON.writeValueAsBytes(header)) + "."
                + BASE64URL.encodeToString(AuthHttp.JSON.writeValueAsBytes(claims));
        try {
            // JWS wants ECDSA signatures as r || s (IEEE P1363), not the DER the plain algorithm produces.
            Signature signature = Signature.getInstance(switch (client.algorithm()) {
                case "ES256" -> "SHA256withECDSAinP1363Format";
                case "RS256" -> "SHA256withRSA";
                default -> throw new IllegalStateException("algorithm " + client.algorithm());
            });
            signature.initSign(client.privateKey());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign a " + client.algorithm() + " client assertion for "
                    + client.clientId() + ": " + e, e);
        }
    }
}
