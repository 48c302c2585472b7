package io.kafkube.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two API servers on one cluster, on two ports, behave as one: a write acknowledged by one is in a
 * consistent read (no resourceVersion) through the other, at once, both ways. The second server shares the
 * first one's PKI (CA, serving certificate, token file, ServiceAccount signing key), as instances of one
 * cluster do.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class TwoApiServersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static ApiServer second;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
    second = cluster.startSecondApi(dir, -1);
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(cluster.api.caCertPath())) {
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    http = HttpClient.newBuilder().sslContext(ssl).build();
  }

  @AfterAll
  static void stop() {
    if (second != null) {
      second.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static HttpResponse<String> call(ApiServer api, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.url() + path))
        .header("Authorization", "Bearer " + api.adminToken()).header("Accept", "application/json")
        .timeout(Duration.ofSeconds(30));
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readYourWritesAcrossInstances() throws Exception {
    assertThat(second.url()).isNotEqualTo(cluster.api.url());
    String path = "/api/v1/namespaces/default/configmaps";
    for (int i = 0; i < 25; i++) {
      ApiServer writer = i % 2 == 0 ? cluster.api : second;
      ApiServer reader = i % 2 == 0 ? second : cluster.api;
      String name = "rw-" + i;
      HttpResponse<String> created = call(writer, "POST", path,
          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
              + "\"data\":{\"n\":\"0\"}}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String rv = JSON.readTree(created.body()).at("/metadata/resourceVersion").asText();

      HttpResponse<String> read = call(reader, "GET", path + "/" + name, null);
      assertThat(read.statusCode()).as("a create through one instance, read through the other").isEqualTo(200);
      assertThat(JSON.readTree(read.body()).at("/metadata/resourceVersion").asText()).isEqualTo(rv);

      ObjectNode changed = (ObjectNode) JSON.readTree(read.body());
      ((ObjectNode) changed.get("data")).put("n", "1");
      HttpResponse<String> updated = call(reader, "PUT", path + "/" + name, JSON.writeValueAsString(changed));
      assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);

      JsonNode back = JSON.readTree(call(writer, "GET", path + "/" + name, null).body());
      assertThat(back.at("/data/n").asText()).as("an update through the other instance, read back").isEqualTo("1");

      JsonNode list = JSON.readTree(call(reader, "GET", path + "?labelSelector=", null).body());
      assertThat(list.get("items")).as("a consistent LIST holds every object created so far").hasSize(i + 1);
    }
  }
}
