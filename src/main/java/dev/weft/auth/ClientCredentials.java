package dev.weft.auth;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * How an OAuth client identifies itself to an authorization server's token endpoint: its {@code client_id}, and
 * nothing more (a public client), a client secret, or a private key that signs a JWT assertion (RFC 7523,
 * {@code private_key_jwt}). Used for a pre-registered client ({@link OAuthOptions#withPreRegisteredClient}) and for
 * the client credentials grant ({@link OAuthOptions#withClientCredentials}).
 *
 * <p>Immutable and thread-safe. {@code toString} never shows a secret or a key.
 */
public sealed interface ClientCredentials permits ClientCredentials.Public, ClientCredentials.Secret,
        ClientCredentials.PrivateKeyJwt {

    /** {@return the {@code client_id}} */
    String clientId();

    /**
     * {@return a public client: {@code client_id} only, token endpoint authentication {@code none}}
     *
     * @param clientId the client id
     */
    static Public none(String clientId) {
        return new Public(clientId);
    }

    /**
     * {@return a confidential client with a secret, sent as {@code client_secret_basic} or {@code client_secret_post},
     * whichever the authorization server supports (basic when it supports both)}
     *
     * @param clientId     the client id
     * @param clientSecret the client secret
     */
    static Secret secret(String clientId, String clientSecret) {
        return new Secret(clientId, clientSecret);
    }

    /**
     * {@return a client that authenticates with a JWT signed by its private key ({@code private_key_jwt})}
     *
     * @param clientId   the client id
     * @param privateKey an EC P-256 key for {@code ES256}, an RSA key for {@code RS256}
     * @param algorithm  {@code ES256} or {@code RS256}
     * @throws IllegalArgumentException if the algorithm is another, or does not suit the key
     */
    static PrivateKeyJwt privateKeyJwt(String clientId, PrivateKey privateKey, String algorithm) {
        return new PrivateKeyJwt(clientId, privateKey, algorithm);
    }

    /**
     * {@return a client that authenticates with a JWT signed by a private key given as PKCS#8 PEM}
     *
     * @param clientId  the client id
     * @param pkcs8Pem  the key, {@code -----BEGIN PRIVATE KEY-----} ... {@code -----END PRIVATE KEY-----}
     * @param algorithm {@code ES256} (an EC P-256 key) or {@code RS256} (an RSA key)
     * @throws IllegalArgumentException if the PEM is not a PKCS#8 private key of the algorithm's type, or the
     *                                  algorithm is another
     */
    static PrivateKeyJwt privateKeyJwt(String clientId, String pkcs8Pem, String algorithm) {
        Objects.requireNonNull(pkcs8Pem, "pkcs8Pem");
        String keyType = switch (Objects.requireNonNull(algorithm, "algorithm")) {
            case "ES256" -> "EC";
            case "RS256" -> "RSA";
            default -> throw new IllegalArgumentException("unsupported signing algorithm " + algorithm
                    + ": ES256 or RS256");
        };
        if (!pkcs8Pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException("not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        String base64 = pkcs8Pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            PrivateKey key = KeyFactory.getInstance(keyType).generatePrivate(new PKCS8EncodedKeySpec(der));
            return new PrivateKeyJwt(clientId, key, algorithm);
        } catch (IllegalArgumentException | InvalidKeySpecException e) {
            throw new IllegalArgumentException("not a PKCS#8 " + keyType + " private key for " + algorithm, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + keyType + " key factory", e);
        }
    }

    /**
     * A public client: it sends its {@code client_id} and no secret (token endpoint authentication {@code none}).
     *
     * @param clientId the client id
     */
    record Public(String clientId) implements ClientCredentials {
        /**
         * Checks.
         *
         * @throws IllegalArgumentException if {@code clientId} is blank
         */
        public Public {
            checkId(clientId);
        }
    }

    /**
     * A confidential client with a secret.
     *
     * @param clientId     the client id
     * @param clientSecret the client secret
     */
    record Secret(String clientId, String clientSecret) implements ClientCredentials {
        /**
         * Checks.
         *
         * @throws IllegalArgumentException if {@code clientId} is blank
         * @throws NullPointerException     if {@code clientSecret} is {@code null}
         */
        public Secret {
            checkId(clientId);
            Objects.requireNonNull(clientSecret, "clientSecret");
        }

        /** {@return the client id, without the secret} */
        @Override
        public String toString() {
            return "Secret[clientId=" + clientId + ", clientSecret=(hidden)]";
        }
    }

    /**
     * A client that authenticates with a JWT assertion signed by its private key (RFC 7523): issuer and subject its
     * client id, audience the authorization server's issuer, valid for five minutes.
     *
     * @param clientId   the client id
     * @param privateKey the signing key: EC P-256 for {@code ES256}, RSA for {@code RS256}
     * @param algorithm  {@code ES256} or {@code RS256}
     */
    record PrivateKeyJwt(String clientId, PrivateKey privateKey, String algorithm) implements ClientCredentials {
        /**
         * Checks.
         *
         * @throws IllegalArgumentException if {@code clientId} is blank, or the algorithm is not {@code ES256} with an
         *                                  EC key or {@code RS256} with an RSA key
         */
        public PrivateKeyJwt {
            checkId(clientId);
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(algorithm, "algorithm");
            boolean suits = switch (algorithm) {
                case "ES256" -> privateKey instanceof ECPrivateKey || "EC".equals(privateKey.getAlgorithm());
                case "RS256" -> privateKey instanceof RSAPrivateKey || "RSA".equals(privateKey.getAlgorithm());
                default -> throw new IllegalArgumentException("unsupported signing algorithm " + algorithm
                        + ": ES256 or RS256");
            };
            if (!suits) {
                throw new IllegalArgumentException(algorithm + " needs " + ("ES256".equals(algorithm) ? "an EC"
                        : "an RSA") + " key, not " + privateKey.getAlgorithm());
            }
        }

        /** {@return the client id and the algorithm, without the key} */
        @Override
        public String toString() {
            return "PrivateKeyJwt[clientId=" + clientId + ", algorithm=" + algorithm + ", privateKey=(hidden)]";
        }
    }

    private static void checkId(String clientId) {
        if (Objects.requireNonNull(clientId, "clientId").isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
    }
}
