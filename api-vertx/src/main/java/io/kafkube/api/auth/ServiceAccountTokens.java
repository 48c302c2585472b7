package io.kafkube.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ServiceAccount tokens: ES256-signed JWTs shaped like Kubernetes' bound tokens ({@code iss}
 * {@value #ISSUER}, {@code sub system:serviceaccount:<ns>:<name>}, a {@code kubernetes.io} claim with
 * the namespace and the ServiceAccount's name and uid, {@code aud}, {@code exp}, {@code iat},
 * {@code nbf}, {@code jti}). The signing key pair is generated at first start and kept as PEM next
 * to the cluster CA ({@code sa.key}, {@code sa.pub}).
 */
public final class ServiceAccountTokens {
  public static final String ISSUER = "https://kubernetes.default.svc";
  /** The audiences the API server accepts, and the default of a TokenRequest. */
  public static final List<String> API_AUDIENCES = List.of(ISSUER);
  private static final Duration SKEW = Duration.ofSeconds(60);
  /** Past this many remembered tokens the memory starts over. */
  private static final int MAX_VERIFIED = 10_000;

  private final ECPrivateKey privateKey;
  private final ECPublicKey publicKey;
  private final String keyId;
  private final Clock clock;
  /**
   * Tokens already verified: a signature is checked once per token, not once per request. Whether
   * the ServiceAccount still exists is the caller's check, on every request.
   */
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  private ServiceAccountTokens(KeyPair keys, Clock clock) {
    this.privateKey = (ECPrivateKey) keys.getPrivate();
    this.publicKey = (ECPublicKey) keys.getPublic();
    this.clock = clock;
    try {
      this.keyId = Base64.getUrlEncoder().withoutPadding()
          .encodeToString(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token of a ServiceAccount that still has to be checked against the ServiceAccount itself. */
  public record Claims(String namespace, String name, String uid) {
    public String username() {
      return "system:serviceaccount:" + namespace + ":" + name;
    }
  }

  /** A signed token and when it expires. */
  public record Issued(String token, Instant expiration) {}

  /** A token whose signature and claims were checked once, valid until {@code expiration}. */
  private record Verified(Claims claims, Instant expiration) {}

  /** Reads the key pair in {@code dir}, first generating it when missing. */
  public static ServiceAccountTokens loadOrCreate(Path dir, Clock clock) {
    Path key = dir.resolve("sa.key");
    Path pub = dir.resolve("sa.pub");
    try {
      KeyFactory kf = KeyFactory.getInstance("EC");
      if (!Files.exists(key)) {
        Files.createDirectories(dir);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        write(pub, "PUBLIC KEY", kp.getPublic().getEncoded(), false);
        write(key, "PRIVATE KEY", kp.getPrivate().getEncoded(), true);
      }
      KeyPair kp = new KeyPair(kf.generatePublic(new X509EncodedKeySpec(read(pub))),
          kf.generatePrivate(new PKCS8EncodedKeySpec(read(key))));
      return new ServiceAccountTokens(kp, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the service account key in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bad service account key in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Signs a token for a ServiceAccount, valid for {@code lifetime} from now. */
  public Issued issue(String namespace, String name, String uid, List<String> audiences, Duration lifetime) {
    Instant now = clock.instant();
    Instant exp = now.plus(lifetime);
    Map<String, Object> sa = new LinkedHashMap<>();
    sa.put("name", name);
    sa.put("uid", uid);
    Map<String, Object> kube = new LinkedHashMap<>();
    kube.put("namespace", namespace);
    kube.put("serviceaccount", sa);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(new Claims(namespace, name, uid).username())
        .audience(audiences)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(exp))
        .jwtID(UUID.randomUUID().toString())
        .claim("kubernetes.io", kube)
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).build(), claims);
    try {
      jwt.sign(new ECDSASigner(privateKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a service account token: " + e.getMessage(), e);
    }
    return new Issued(jwt.serialize(), exp);
  }

  /**
   * The ServiceAccount a token names, if it is one of ours: signed with this key (ES256), issued by
   * {@value #ISSUER} for one of {@link #API_AUDIENCES}, within its validity (checked on every call;
   * the signature only the first time a token is seen).
   */
  public Optional<Claims> verify(String token) {
    Instant at = clock.instant();
    Verified known = verified.get(token);
    if (known != null) {
      if (known.expiration().isAfter(at)) {
        return Optional.of(known.claims());
      }
      verified.remove(token);
      return Optional.empty();
    }
    Optional<Verified> v = check(token, at);
    v.ifPresent(x -> {
      if (verified.size() >= MAX_VERIFIED) {
        verified.clear();
      }
      verified.put(token, x);
    });
    return v.map(Verified::claims);
  }

  /** The signature and claims of a token not seen before. */
  private Optional<Verified> check(String token, Instant now) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new ECDSAVerifier(publicKey))) {
        return Optional.empty();
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      if (!ISSUER.equals(c.getIssuer()) || c.getExpirationTime() == null
          || !c.getExpirationTime().toInstant().isAfter(now)
          || (c.getNotBeforeTime() != null && c.getNotBeforeTime().toInstant().isAfter(now.plus(SKEW)))
          || c.getAudience() == null || c.getAudience().stream().noneMatch(API_AUDIENCES::contains)) {
        return Optional.empty();
      }
      Map<String, Object> kube = c.getJSONObjectClaim("kubernetes.io");
      if (kube == null || !(kube.get("namespace") instanceof String ns)
          || !(kube.get("serviceaccount") instanceof Map<?, ?> sa)
          || !(sa.get("name") instanceof String name) || !(sa.get("uid") instanceof String uid)
          || !new Claims(ns, name, uid).username().equals(c.getSubject())) {
        return Optional.empty();
      }
      return Optional.of(new Verified(new Claims(ns, name, uid), c.getExpirationTime().toInstant()));
    } catch (ParseException | JOSEException e) {
      return Optional.empty();
    }
  }

  private static void write(Path file, String type, byte[] der, boolean secret) throws IOException {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n",
        StandardCharsets.US_ASCII);
    if (secret) {
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
    }
  }

  private static byte[] read(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }
}
