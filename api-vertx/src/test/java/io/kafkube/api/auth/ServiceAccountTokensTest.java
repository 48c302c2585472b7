package io.kafkube.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing and checking ServiceAccount tokens, with a controlled clock. */
class ServiceAccountTokensTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  @TempDir
  Path dir;

  static Clock at(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  @Test
  void aTokenCarriesKubernetesClaimsAndVerifiesUntilItExpires() throws Exception {
    ServiceAccountTokens issuer = ServiceAccountTokens.loadOrCreate(dir, at(T0));
    ServiceAccountTokens.Issued t = issuer.issue("default", "reader", "uid-1", ServiceAccountTokens.API_AUDIENCES,
        Duration.ofHours(1));
    assertThat(t.expiration()).isEqualTo(T0.plusSeconds(3600));
    var claims = SignedJWT.parse(t.token()).getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("system:serviceaccount:default:reader");
    assertThat(claims.getIssuer()).isEqualTo("https://kubernetes.default.svc");
    assertThat(claims.getAudience()).containsExactly("https://kubernetes.default.svc");
    assertThat(claims.getJSONObjectClaim("kubernetes.io")).containsEntry("namespace", "default")
        .containsEntry("serviceaccount", Map.of("name", "reader", "uid", "uid-1"));
    assertThat(SignedJWT.parse(t.token()).getHeader().getAlgorithm().getName()).isEqualTo("ES256");

    // the key is kept: a restarted server accepts the token
    ServiceAccountTokens later = ServiceAccountTokens.loadOrCreate(dir, at(T0.plusSeconds(3599)));
    assertThat(later.verify(t.token())).contains(new ServiceAccountTokens.Claims("default", "reader", "uid-1"));
    assertThat(ServiceAccountTokens.loadOrCreate(dir, at(T0.plusSeconds(3600))).verify(t.token())).isEmpty();
  }

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    volatile Instant now;

    MovingClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aTokenVerifiedBeforeIsStillRefusedOnceItExpires() {
    MovingClock clock = new MovingClock(T0);
    ServiceAccountTokens tokens = ServiceAccountTokens.loadOrCreate(dir, clock);
    String t = tokens.issue("default", "reader", "u", ServiceAccountTokens.API_AUDIENCES, Duration.ofMinutes(10))
        .token();
    var reader = new ServiceAccountTokens.Claims("default", "reader", "u");
    assertThat(tokens.verify(t)).contains(reader);
    clock.now = T0.plusSeconds(599);
    assertThat(tokens.verify(t)).as("remembered, still valid").contains(reader);
    clock.now = T0.plusSeconds(600);
    assertThat(tokens.verify(t)).as("expired").isEmpty();
    assertThat(tokens.verify(t)).isEmpty();
    clock.now = T0;
    assertThat(tokens.verify(t)).as("checked afresh, not from memory").contains(reader);
    assertThat(tokens.verify(t + "x")).as("another signature").isEmpty();
  }

  @Test
  void foreignTamperedAndOtherAudienceTokensAreRefused(@TempDir Path other) throws Exception {
    ServiceAccountTokens issuer = ServiceAccountTokens.loadOrCreate(dir, at(T0));
    String token = issuer.issue("default", "reader", "u", ServiceAccountTokens.API_AUDIENCES, Duration.ofHours(1))
        .token();
    assertThat(ServiceAccountTokens.loadOrCreate(other, at(T0)).verify(token)).as("another key").isEmpty();
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("reader", "admin0").getBytes())
        + "." + parts[2];
    assertThat(issuer.verify(forged)).as("tampered claims").isEmpty();
    assertThat(issuer.verify("not.a.jwt")).isEmpty();
    assertThat(issuer.verify(issuer.issue("default", "reader", "u", List.of("vault"), Duration.ofHours(1)).token()))
        .as("a token for another audience").isEmpty();
  }
}
