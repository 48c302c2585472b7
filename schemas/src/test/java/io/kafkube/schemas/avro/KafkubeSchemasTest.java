package io.kafkube.schemas.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

class KafkubeSchemasTest {
  @Test
  void everyKindHasItsSchemaWithKindProperties() {
    assertThat(KafkubeSchemas.kinds()).hasSize(ResourceRegistry.kubernetes().all().size());
    for (ResourceType t : ResourceRegistry.kubernetes().all()) {
      Schema s = KafkubeSchemas.kind(t);
      assertThat(s.getFullName()).isEqualTo(t.avroFullName());
      assertThat(s.getProp(SchemaProps.KIND)).isEqualTo(t.kind());
      assertThat(s.getProp(SchemaProps.API_VERSION)).isEqualTo(t.apiVersion());
      assertThat(s.getProp(SchemaProps.RESOURCE)).isEqualTo(t.groupResource());
      assertThat(s.getField("metadata").schema().getTypes().get(1).getFullName())
          .isEqualTo("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    }
  }

  @Test
  void envelopesReferenceEveryKindAndKeyValue() {
    Schema kinds = KafkubeSchemas.command().getField("object").schema();
    assertThat(kinds.getTypes()).hasSize(ResourceRegistry.kubernetes().all().size() + 2);
    assertThat(kinds.getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
    for (ResourceType t : ResourceRegistry.kubernetes().all()) {
      // the record nested in the envelope is the same schema as the kind's own file
      assertThat(kinds.getTypes().get(kinds.getIndexNamed(t.avroFullName()))).isEqualTo(KafkubeSchemas.kind(t));
    }
    assertThat(kinds.getTypes().get(kinds.getTypes().size() - 1)).isEqualTo(KafkubeSchemas.keyValue());
    assertThat(KafkubeSchemas.change().getField("before").schema()).isEqualTo(kinds);
    assertThat(KafkubeSchemas.reply().getField("object").schema()).isEqualTo(kinds);
    assertThat(KafkubeSchemas.op().getEnumSymbols())
        .containsExactly("CREATE", "UPDATE", "UPDATE_STATUS", "DELETE", "BIND");
    assertThat(KafkubeSchemas.status().getFullName()).isEqualTo("io.k8s.apimachinery.pkg.apis.meta.v1.Status");
    assertThat(KafkubeSchemas.command().getField("user").schema()).isEqualTo(KafkubeSchemas.userInfo());
  }

  @Test
  void typeOfFindsTheKindOfARecord() {
    ResourceType deployments = ResourceRegistry.kubernetes().byGroupResource("deployments.apps").orElseThrow();
    assertThat(KafkubeSchemas.typeOf(new GenericData.Record(KafkubeSchemas.kind(deployments))))
        .isEqualTo(deployments);
    assertThatThrownBy(() -> KafkubeSchemas.typeOf(new GenericData.Record(KafkubeSchemas.status())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Status");
  }
}
