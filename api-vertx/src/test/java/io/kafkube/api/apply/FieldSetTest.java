package io.kafkube.api.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.resource.ResourceRegistry;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Field sets of objects and their fieldsV1 form, table-driven on deployments and pods. */
class FieldSetTest {
  static final ObjectMapper M = new ObjectMapper();
  static final Shape DEPLOYMENT = Shape.root(
      KafkubeSchemas.kind(ResourceRegistry.kubernetes().byGroupResource("deployments.apps").orElseThrow()));
  static final Shape POD = Shape.root(
      KafkubeSchemas.kind(ResourceRegistry.kubernetes().byGroupResource("pods").orElseThrow()));

  static JsonNode json(String singleQuoted) {
    try {
      return M.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a scalar is a leaf", DEPLOYMENT, "{'spec':{'replicas':2}}",
            "{'f:spec':{'f:replicas':{}}}"),
        Arguments.of("labels are a granular map: its keys, not the map", DEPLOYMENT,
            "{'metadata':{'labels':{'app':'web','tier':'fe'}}}",
            "{'f:metadata':{'f:labels':{'f:app':{},'f:tier':{}}}}"),
        Arguments.of("a label selector is an atomic struct", DEPLOYMENT,
            "{'spec':{'selector':{'matchLabels':{'app':'web'}}}}",
            "{'f:spec':{'f:selector':{}}}"),
        Arguments.of("containers are keyed by name; the item is a member with its fields", DEPLOYMENT,
            "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx'}]}}}}",
            "{'f:spec':{'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':"
                + "{'.':{},'f:image':{},'f:name':{}}}}}}}"),
        Arguments.of("container ports are keyed by containerPort and protocol (defaulted TCP)", POD,
            "{'spec':{'containers':[{'name':'c','ports':[{'containerPort':80}]}]}}",
            "{'f:spec':{'f:containers':{'k:{\\'name\\':\\'c\\'}':{'.':{},'f:name':{},'f:ports':"
                + "{'k:{\\'containerPort\\':80,\\'protocol\\':\\'TCP\\'}':{'.':{},'f:containerPort':{}}}}}}}"),
        Arguments.of("finalizers are a set of values", POD, "{'metadata':{'finalizers':['a/b','c']}}",
            "{'f:metadata':{'f:finalizers':{'v:\\'a/b\\'':{},'v:\\'c\\'':{}}}}"),
        Arguments.of("args are an atomic list", POD, "{'spec':{'containers':[{'name':'c','args':['x','y']}]}}",
            "{'f:spec':{'f:containers':{'k:{\\'name\\':\\'c\\'}':{'.':{},'f:args':{},'f:name':{}}}}}"),
        Arguments.of("an empty struct is a leaf", POD,
            "{'spec':{'volumes':[{'name':'v','emptyDir':{}}]}}",
            "{'f:spec':{'f:volumes':{'k:{\\'name\\':\\'v\\'}':{'.':{},'f:emptyDir':{},'f:name':{}}}}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fieldSetAndItsFieldsV1(String name, Shape shape, String object, String fieldsV1) throws Exception {
    FieldSet set = Structured.fieldsOf(json(object), shape);
    assertThat(set.toFieldsV1()).isEqualTo(json(fieldsV1));
    assertThat(FieldSet.fromFieldsV1(set.toFieldsV1())).isEqualTo(set);
    assertThat(set.toFieldsV1Json()).isEqualTo(M.writeValueAsString(set.toFieldsV1()));
  }

  @Test
  void fieldsV1TextIsTheDocumentSerialized() throws Exception {
    FieldPath deep = FieldPath.ROOT;
    for (int i = 0; i < 40; i++) {
      deep = deep.child("d" + i);
    }
    FieldPath labels = FieldPath.of("metadata", "labels");
    FieldSet set = FieldSet.of(labels, labels.child("a\"b\\c\u0001\u00e9/x"), labels.child("z"),
        FieldPath.of("metadata", "finalizers").child(PathElement.value(json("'x\\ny'"))),
        FieldPath.of("spec", "ports").child(PathElement.key((com.fasterxml.jackson.databind.node.ObjectNode)
            json("{'protocol':'TCP','port':80}"))),
        FieldPath.of("spec", "ports").child(PathElement.key((com.fasterxml.jackson.databind.node.ObjectNode)
            json("{'protocol':'TCP','port':80}"))).child("port"),
        FieldPath.of("spec", "args").child(PathElement.index(10)), FieldPath.of("spec", "args").child(PathElement.index(9)),
        deep, deep.child("leaf"), FieldPath.of("d0"));
    assertThat(set.toFieldsV1Json()).isEqualTo(M.writeValueAsString(set.toFieldsV1()));
    assertThat(FieldSet.fromFieldsV1(M.readTree(set.toFieldsV1Json()))).isEqualTo(set);
    assertThat(FieldSet.EMPTY.toFieldsV1Json()).isEqualTo("{}");
  }

  @Test
  void fieldsV1KeysAreSortedWithTheMemberMarkFirst() throws Exception {
    FieldSet set = Structured.compare(null,
        json("{'metadata':{'labels':{'z':'1','a':'2'}},'spec':{'replicas':1}}"), DEPLOYMENT).added();
    assertThat(M.writeValueAsString(set.toFieldsV1()))
        .isEqualTo("{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:a\":{},\"f:z\":{}}},\"f:spec\":{\"f:replicas\":{}}}");
  }

  @Test
  void pathsPrintAsKubeApiserverPrintsThem() {
    FieldPath p = FieldPath.of("spec", "template", "spec", "containers")
        .child(PathElement.key((com.fasterxml.jackson.databind.node.ObjectNode) json("{'name':'web'}")))
        .child("image");
    assertThat(p).hasToString(".spec.template.spec.containers[name=\"web\"].image");
    assertThat(FieldPath.of("metadata", "finalizers").child(PathElement.value(json("'x'"))))
        .hasToString(".metadata.finalizers[=\"x\"]");
  }

  @Test
  void setAlgebra() {
    FieldSet a = FieldSet.of(FieldPath.of("spec", "replicas"), FieldPath.of("spec", "paused"));
    FieldSet b = FieldSet.of(FieldPath.of("spec", "paused"), FieldPath.of("spec", "minReadySeconds"));
    assertThat(a.union(b).paths()).hasSize(3);
    assertThat(a.intersection(b)).isEqualTo(FieldSet.of(FieldPath.of("spec", "paused")));
    assertThat(a.difference(b)).isEqualTo(FieldSet.of(FieldPath.of("spec", "replicas")));
    assertThat(a.hasBelow(FieldPath.of("spec"))).isTrue();
    assertThat(a.hasBelow(FieldPath.of("spec", "replicas"))).isFalse();
    assertThat(a.hasBelow(FieldPath.of("metadata"))).isFalse();
  }

  @Test
  void malformedFieldsV1IsRefused() {
    assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("{'x:spec':{}}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x:spec");
    assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("{'f:spec':1}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("{'k:[1]':{}}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
