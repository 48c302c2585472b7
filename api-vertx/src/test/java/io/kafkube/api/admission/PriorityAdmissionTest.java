package io.kafkube.api.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.ApiException;
import io.kafkube.api.http.Bodies;
import io.kafkube.api.http.FieldValidation;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The Priority admission decisions, table-driven, without a cluster. */
class PriorityAdmissionTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final ResourceRegistry R = ResourceRegistry.kubernetes();
  private static final ResourceType PODS = R.byGroupResource("pods").orElseThrow();
  private static final ResourceType PCS = R.byGroupResource("priorityclasses.scheduling.k8s.io").orElseThrow();

  static GenericRecord record(ResourceType type, String json) throws Exception {
    return Bodies.toRecord((ObjectNode) M.readTree(json.replace('\'', '"')), List.of(), type, FieldValidation.STRICT)
        .record();
  }

  static GenericRecord pod(String spec) throws Exception {
    return record(PODS, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'c',"
        + "'image':'i'}]" + spec + "}}");
  }

  static GenericRecord pc(String name, int value, boolean global, String policy) throws Exception {
    return record(PCS, "{'apiVersion':'scheduling.k8s.io/v1','kind':'PriorityClass','metadata':{'name':'" + name
        + "'},'value':" + value + ",'globalDefault':" + global
        + (policy == null ? "" : ",'preemptionPolicy':'" + policy + "'") + "}");
  }

  static Function<String, GenericRecord> lookup(List<GenericRecord> classes) {
    return n -> classes.stream().filter(c -> Meta.name(c).equals(n)).findFirst().orElse(null);
  }

  static GenericRecord spec(GenericRecord pod) {
    return (GenericRecord) pod.get("spec");
  }

  @Test
  void resolvesNamedStoredAndSystemClasses() throws Exception {
    List<GenericRecord> classes = List.of(pc("high", 1000, false, "Never"));
    GenericRecord p = pod(",'priorityClassName':'high'");
    PriorityAdmission.admit(PODS, p, lookup(classes), classes);
    assertThat(spec(p).get("priority")).isEqualTo(1000);
    assertThat(spec(p).get("preemptionPolicy").toString()).isEqualTo("Never");

    GenericRecord s = pod(",'priorityClassName':'system-node-critical'");
    PriorityAdmission.admit(PODS, s, lookup(List.of()), List.of());
    assertThat(spec(s).get("priority")).isEqualTo(2_000_001_000);
    assertThat(spec(s).get("preemptionPolicy").toString()).isEqualTo("PreemptLowerPriority");
  }

  @Test
  void theLowestGlobalDefaultAppliesWhenNoneIsNamed() throws Exception {
    List<GenericRecord> classes = List.of(pc("a", 50, true, null), pc("b", 20, true, null), pc("c", 5, false, null));
    GenericRecord p = pod("");
    PriorityAdmission.admit(PODS, p, lookup(classes), classes);
    assertThat(spec(p).get("priority")).isEqualTo(20);
    assertThat(spec(p).get("priorityClassName").toString()).isEqualTo("b");

    GenericRecord none = pod("");
    PriorityAdmission.admit(PODS, none, lookup(List.of()), List.of());
    assertThat(spec(none).get("priority")).isEqualTo(0);
    assertThat(spec(none).get("priorityClassName")).isNull();
  }

  @Test
  void refusesUnknownClassesAndConflictingValues() throws Exception {
    Map<String, String> cases = Map.of(
        ",'priorityClassName':'nope'", "pods \"p\" is forbidden: no PriorityClass with name nope was found",
        ",'priority':7", "pods \"p\" is forbidden: the integer value of priority (7) must not be provided in pod spec; "
            + "priority admission controller computed 0 from the given PriorityClass name",
        ",'priorityClassName':'system-cluster-critical','preemptionPolicy':'Never'",
        "pods \"p\" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; "
            + "priority admission controller computed PreemptLowerPriority from the given PriorityClass name");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      GenericRecord p = pod(c.getKey());
      assertThatThrownBy(() -> PriorityAdmission.admit(PODS, p, lookup(List.of()), List.of()))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(403);
            assertThat(e.getMessage()).isEqualTo(c.getValue());
          });
    }
    // the computed value itself may be given
    GenericRecord same = pod(",'priorityClassName':'system-cluster-critical','priority':2000000000");
    PriorityAdmission.admit(PODS, same, lookup(List.of()), List.of());
    assertThat(spec(same).get("priority")).isEqualTo(2_000_000_000);
  }
}
