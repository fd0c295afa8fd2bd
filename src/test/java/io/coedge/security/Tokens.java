package io.coedge.security;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Signs test tokens: with an HS256 secret, or with an EC P-256 key pair made at test time (no committed keys). */
final class Tokens {

  static final String ISSUER = "https://issuer.test";
  static final String AUDIENCE = "coedge";

  final String secret;
  final String publicPem;
  private final JWTAuth hs256;
  private final JWTAuth es256;

  Tokens(Vertx vertx, String secret) throws Exception {
    this.secret = secret;
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    this.publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
    this.hs256 = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    this.es256 = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("ES256").setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded()))));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** Claims valid for the test gateway: issuer, audience, subject, expiry in an hour, and {@code scope}. */
  static JsonObject claims(String scope) {
    return new JsonObject().put("iss", ISSUER).put("aud", AUDIENCE).put("sub", "camera-7").put("scope", scope)
        .put("exp", System.currentTimeMillis() / 1000 + 3600);
  }

  String hs256(JsonObject claims) {
    return hs256.generateToken(claims, new JWTOptions().setAlgorithm("HS256"));
  }

  String es256(JsonObject claims) {
    return es256.generateToken(claims, new JWTOptions().setAlgorithm("ES256"));
  }
}
