package io.kafkube.load.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client of the API server as a Kubernetes client sees it: HTTPS verified against the cluster CA,
 * a bearer token, JSON bodies. One instance is shared by all benchmark workers (the JDK client pools
 * connections and multiplexes HTTP/2 streams when the server offers it).
 */
public final class ApiHttp {
  private final HttpClient client;
  private final String baseUrl;
  private final String token;

  public ApiHttp(String baseUrl, Path caCert, String token) throws IOException, GeneralSecurityException {
    this.baseUrl = baseUrl;
    this.token = token;
    this.client = HttpClient.newBuilder().sslContext(trusting(caCert)).connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  private static SSLContext trusting(Path caCert) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(caCert)) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private HttpRequest.Builder request(String path, String accept) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).header("Accept", accept);
  }

  /** POST a JSON body; the response body as text. */
  public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return client.send(request(path, "application/json").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** DELETE; the response body as text. */
  public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return client.send(request(path, "application/json").DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET with the given Accept header; the whole body as bytes. */
  public HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
    return client.send(request(path, accept).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A watch (or any streaming GET): returns once the response headers arrived; lines as they come. */
  public HttpResponse<Stream<String>> stream(String path) throws IOException, InterruptedException {
    return client.send(request(path, "application/json").timeout(Duration.ofMinutes(10)).GET().build(),
        HttpResponse.BodyHandlers.ofLines());
  }
}
