package io.kafkube.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The registry started on a caller's Vert.x (as {@code kafkube up} does), driven asynchronously. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmbeddedInVertxTest {
  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    kafka = TestBroker.start(dir);
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void startsRegistersAndStopsOnTheCallersVertx(Vertx vertx, VertxTestContext ctx) {
    RegistryConfig config = TestBroker.config(kafka, TestBroker.freshTopic()).build();
    HttpClient http = vertx.createHttpClient();
    String schema = "{\"type\":\"record\",\"name\":\"V\",\"fields\":[]}";
    SchemaRegistryServer[] started = new SchemaRegistryServer[1];
    SchemaRegistryServer.start(vertx, config)
        .compose(server -> {
          started[0] = server;
          return http.request(new RequestOptions().setMethod(HttpMethod.POST)
                  .setAbsoluteURI(server.url() + "/subjects/v-value/versions"))
              .compose(req -> req.putHeader("Content-Type", "application/vnd.schemaregistry.v1+json")
                  .send(Buffer.buffer(new JsonObject().put("schema", schema).encode())))
              .compose(resp -> resp.body().map(body -> {
                ctx.verify(() -> {
                  assertThat(resp.statusCode()).isEqualTo(200);
                  assertThat(resp.getHeader("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
                  assertThat(new JsonObject(body).getInteger("id")).isEqualTo(1);
                });
                return server;
              }));
        })
        .compose(server -> http.request(HttpMethod.GET, server.port(), "127.0.0.1", "/schemas/ids/1")
            .compose(req -> req.send())
            .compose(resp -> resp.body())
            .map(body -> {
              ctx.verify(() -> assertThat(new JsonObject(body).getString("schema")).isEqualTo(schema.replace(" ", "")));
              return server;
            }))
        .compose(SchemaRegistryServer::stop)
        .compose(v -> {
          ctx.verify(() -> assertThat(vertx.deploymentIDs()).isEmpty());
          return Future.succeededFuture();
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
