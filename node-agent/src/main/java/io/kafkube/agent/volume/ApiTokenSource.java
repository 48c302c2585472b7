package io.kafkube.agent.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * ServiceAccount tokens from the API server, as kubelet gets them: a TokenRequest
 * ({@code POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token}) over TLS, trusting the
 * cluster's CA. A token is reused until 80% of its lifetime has passed (kubelet's refresh rule), so the
 * agent's volume resyncs do not ask for a new one each time. kafkube's API does not bind tokens to
 * pods yet ({@code boundObjectRef} is refused), so the token is bound to the service account only.
 */
public final class ApiTokenSource implements TokenSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the agent reaches the API: its HTTPS URL, a bearer token, the cluster CA (PEM). */
  public record Access(String url, String bearerToken, Path caCertificate) {}

  private record Cached(String token, Instant refreshAt) {}

  private final Supplier<Optional<Access>> access;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private volatile HttpClient http;
  private volatile Access httpFor;

  /** @param access the API's address once known (empty until the API server is up) */
  public ApiTokenSource(Supplier<Optional<Access>> access, Clock clock) {
    this.access = access;
    this.clock = clock;
  }

  @Override
  public Optional<String> token(String namespace, String serviceAccount, String podName, String podUid,
      List<String> audiences, long expirationSeconds) throws VolumeException {
    Optional<Access> a = access.get();
    if (a.isEmpty()) {
      return Optional.empty();
    }
    String key = namespace + "/" + serviceAccount + "/" + podUid + "/" + audiences + "/" + expirationSeconds;
    Instant now = clock.instant();
    Cached c = cache.get(key);
    if (c != null && now.isBefore(c.refreshAt())) {
      return Optional.of(c.token());
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("apiVersion", "authentication.k8s.io/v1");
    body.put("kind", "TokenRequest");
    ObjectNode spec = body.putObject("spec");
    audiences.forEach(spec.putArray("audiences")::add);
    spec.put("expirationSeconds", expirationSeconds);
    String url = a.get().url().replaceAll("/+$", "") + "/api/v1/namespaces/" + enc(namespace) + "/serviceaccounts/"
        + enc(serviceAccount) + "/token";
    try {
      HttpResponse<String> res = client(a.get()).send(HttpRequest.newBuilder(URI.create(url))
          .header("Authorization", "Bearer " + a.get().bearerToken()).header("Content-Type", "application/json")
          .header("Accept", "application/json").timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode answer = JSON.readTree(res.body());
      if (res.statusCode() != 201 && res.statusCode() != 200) {
        throw new VolumeException("", "failed to fetch token: " + answer.path("message").asText(res.body()));
      }
      String token = answer.path("status").path("token").asText();
      Instant expires = answer.path("status").hasNonNull("expirationTimestamp")
          ? Instant.parse(answer.path("status").path("expirationTimestamp").asText())
          : now.plusSeconds(expirationSeconds);
      long life = Math.max(1, Duration.between(now, expires).toSeconds());
      cache.put(key, new Cached(token, now.plusSeconds(life * 8 / 10)));
      return Optional.of(token);
    } catch (IOException e) {
      throw new VolumeException("", "failed to fetch token: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VolumeException("", "failed to fetch token: interrupted");
    }
  }

  @Override
  public String unavailableReason() {
    return "the node agent does not know the API server yet";
  }

  /** Forgets a pod's tokens (it left the node). */
  public void forget(String podUid) {
    cache.keySet().removeIf(k -> k.contains("/" + podUid + "/"));
  }

  private HttpClient client(Access a) throws IOException {
    if (http != null && a.equals(httpFor)) {
      return http;
    }
    try (InputStream in = Files.newInputStream(a.caCertificate())) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, cert);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
      httpFor = a;
      return http;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot load the cluster CA " + a.caCertificate() + ": " + e.getMessage(), e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
