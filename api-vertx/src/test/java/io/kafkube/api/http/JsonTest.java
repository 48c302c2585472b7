package io.kafkube.api.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.view.RenderedObjects;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A LIST body spliced from objects' rendered JSON is byte for byte the list Jackson writes. */
class JsonTest {
  private static final ResourceType PODS = ResourceRegistry.kubernetes().byGroupResource("pods").orElseThrow();

  private static GenericRecord pod(String name, String image) throws Exception {
    ObjectNode json = (ObjectNode) Json.MAPPER.readTree("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{"
        + "\"name\":\"" + name + "\",\"namespace\":\"default\",\"resourceVersion\":\"7\",\"labels\":{\"app\":\"a\\\"b\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\",\"args\":[\"é\",\"\\n\"]}]}}");
    Conversion c = KubeJson.toAvro(json, KafkubeSchemas.kind(PODS));
    assertThat(c.clean()).as(c.problems().toString()).isTrue();
    return c.record();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3})
  void aListFromRenderedItemsIsTheListJacksonWrites(int n) throws Exception {
    List<GenericRecord> records = new ArrayList<>();
    List<ObjectNode> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(pod("p" + i, "busybox:" + i));
      nodes.add(Json.object(records.get(i)));
    }
    Map<String, Object> md = new LinkedHashMap<>();
    md.put("resourceVersion", "42");
    md.put("continue", n > 1 ? "token" : null);
    md.put("remainingItemCount", n > 1 ? 5L : null);

    byte[] spliced = Json.listBuffer(PODS, records, md).getBytes();
    assertThat(new String(spliced, UTF_8))
        .isEqualTo(Json.buffer(Json.list(PODS, nodes, md)).toString());
    assertThat(Json.MAPPER.readTree(spliced).get("items")).hasSize(n);
  }

  @Test
  void anObjectIsRenderedOncePerRecordInstance() throws Exception {
    GenericRecord v1 = pod("web", "nginx:1");
    byte[] first = RenderedObjects.json(v1);
    assertThat(RenderedObjects.json(v1)).isSameAs(first);
    // a new version is a new record: rendered on its own, even when equal in content
    GenericRecord equal = pod("web", "nginx:1");
    assertThat(RenderedObjects.json(equal)).isNotSameAs(first).isEqualTo(first);
    GenericRecord v2 = pod("web", "nginx:2");
    assertThat(new String(RenderedObjects.json(v2), UTF_8)).contains("nginx:2")
        .doesNotContain("nginx:1");
  }
}
