package io.kafkube.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.resource.ResourceRegistry;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Table-driven cases of the strategic merge patch engine on pods and deployments, without a broker. */
class StrategicMergePatchTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final Schema POD = KafkubeSchemas.kind(ResourceRegistry.kubernetes().byGroupResource("pods").orElseThrow());
  private static final Schema DEPLOYMENT =
      KafkubeSchemas.kind(ResourceRegistry.kubernetes().byGroupResource("deployments.apps").orElseThrow());

  static Stream<Arguments> podCases() {
    String base = "{'metadata':{'name':'p','labels':{'a':'1','b':'2'},'finalizers':['x','y']},"
        + "'spec':{'containers':[{'name':'app','image':'nginx:1','ports':[{'containerPort':80,'name':'http'}],"
        + "'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},{'name':'side','image':'busybox'}],"
        + "'tolerations':[{'key':'k1'}],'volumes':[{'name':'v','emptyDir':{}}]}}";
    return Stream.of(
        Arguments.of("containers merge by name", base,
            "{'spec':{'containers':[{'name':'app','image':'nginx:2'}]}}",
            "/spec/containers", "[{'name':'app','image':'nginx:2','ports':[{'containerPort':80,'name':'http'}],"
                + "'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},{'name':'side','image':'busybox'}]"),
        Arguments.of("a new container is appended", base,
            "{'spec':{'containers':[{'name':'third','image':'redis'}]}}",
            "/spec/containers/2", "{'name':'third','image':'redis'}"),
        Arguments.of("env merges by name inside a merged container", base,
            "{'spec':{'containers':[{'name':'app','env':[{'name':'B','value':'20'},{'name':'C','value':'3'}]}]}}",
            "/spec/containers/0/env", "[{'name':'A','value':'1'},{'name':'B','value':'20'},{'name':'C','value':'3'}]"),
        Arguments.of("ports merge by containerPort", base,
            "{'spec':{'containers':[{'name':'app','ports':[{'containerPort':80,'protocol':'TCP'},{'containerPort':443}]}]}}",
            "/spec/containers/0/ports", "[{'containerPort':80,'name':'http','protocol':'TCP'},{'containerPort':443}]"),
        Arguments.of("$patch delete removes one element", base,
            "{'spec':{'containers':[{'name':'side','$patch':'delete'}]}}",
            "/spec/containers/1", null),
        Arguments.of("$patch replace on a list element replaces the list", base,
            "{'spec':{'containers':[{'name':'only','image':'x'},{'$patch':'replace'}]}}",
            "/spec/containers", "[{'name':'only','image':'x'}]"),
        Arguments.of("$patch replace on a map replaces it", base,
            "{'metadata':{'labels':{'c':'3','$patch':'replace'}}}",
            "/metadata/labels", "{'c':'3'}"),
        Arguments.of("$patch delete on a map removes it", base,
            "{'metadata':{'labels':{'$patch':'delete'}}}",
            "/metadata/labels", null),
        Arguments.of("null deletes a key", base,
            "{'metadata':{'labels':{'a':null}}}",
            "/metadata/labels", "{'b':'2'}"),
        Arguments.of("lists without a strategy are replaced", base,
            "{'spec':{'tolerations':[{'key':'k2'}]}}",
            "/spec/tolerations", "[{'key':'k2'}]"),
        Arguments.of("primitive merge lists are unions", base,
            "{'metadata':{'finalizers':['y','z']}}",
            "/metadata/finalizers", "['x','y','z']"),
        Arguments.of("$deleteFromPrimitiveList removes values", base,
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['x']}}",
            "/metadata/finalizers", "['y']"),
        Arguments.of("$setElementOrder orders the merged list", base,
            "{'spec':{'$setElementOrder/containers':[{'name':'side'},{'name':'app'}],"
                + "'containers':[{'name':'app','image':'nginx:3'}]}}",
            "/spec/containers/0/name", "'side'"),
        Arguments.of("$retainKeys drops the keys not listed", base,
            "{'spec':{'volumes':[{'name':'v','hostPath':{'path':'/tmp'},'$retainKeys':['name','hostPath']}]}}",
            "/spec/volumes", "[{'name':'v','hostPath':{'path':'/tmp'}}]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podCases")
  void pods(String name, String original, String patch, String pointer, String expected) throws Exception {
    JsonNode out = StrategicMergePatch.apply(json(original), json(patch), POD);
    if (expected == null) {
      assertThat(out.at(pointer).isMissingNode()).as(out.toString()).isTrue();
    } else {
      assertThat(out.at(pointer)).isEqualTo(json(expected));
    }
  }

  @Test
  void kubectlApplyPatchOfADeploymentImage() throws Exception {
    JsonNode original = json("{'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'nginx',"
        + "'image':'nginx:1.27','ports':[{'containerPort':80}]}]}}}}");
    JsonNode patch = json("{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'}],"
        + "'containers':[{'image':'nginx:1.28','name':'nginx'}]}}}}");
    JsonNode out = StrategicMergePatch.apply(original, patch, DEPLOYMENT);
    assertThat(out).isEqualTo(json("{'spec':{'replicas':2,'template':{'spec':{'containers':[{'name':'nginx',"
        + "'image':'nginx:1.28','ports':[{'containerPort':80}]}]}}}}"));
  }

  @Test
  void retainKeysStrategyOfDeploymentStrategy() throws Exception {
    JsonNode original = json("{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}");
    JsonNode patch = json("{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}");
    assertThat(StrategicMergePatch.apply(original, patch, DEPLOYMENT).at("/spec/strategy"))
        .isEqualTo(json("{'type':'Recreate'}"));
  }

  @Test
  void badDirectivesAreRefused() {
    assertThatThrownBy(() -> StrategicMergePatch.apply(json("{}"), json("{'metadata':{'$patch':'explode'}}"), POD))
        .isInstanceOf(PatchException.class).hasMessageContaining("unknown patch type");
    assertThatThrownBy(() -> StrategicMergePatch.apply(json("{'spec':{'containers':[{'name':'a'}]}}"),
        json("{'spec':{'containers':[{'image':'x'}]}}"), POD))
        .isInstanceOf(PatchException.class).hasMessageContaining("merge key");
  }

  @Test
  void mergePatchIsRfc7386() throws Exception {
    JsonNode out = MergePatch.apply(json("{'a':{'b':1,'c':[1,2]},'d':1}"), json("{'a':{'b':null,'c':[3]},'e':2}"));
    assertThat(out).isEqualTo(json("{'a':{'c':[3]},'d':1,'e':2}"));
  }

  private static JsonNode json(String s) throws Exception {
    return M.readTree(s.replace('\'', '"'));
  }
}
