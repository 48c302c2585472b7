package io.kafkube.api.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.api.ApiException;
import io.kafkube.api.authz.Attributes;
import io.kafkube.schemas.envelope.User;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What kube-apiserver and kubelet answer before logs and exec reach a container. */
class PodTargetTest {
  private static final ObjectMapper M = new ObjectMapper();

  private static JsonNode pod(String json) throws Exception {
    return M.readTree(json.replace('\'', '"'));
  }

  private static final String TWO = "{'metadata':{'name':'web'},'spec':{'nodeName':'n1','containers':[{'name':'a'},"
      + "{'name':'b'}],'initContainers':[{'name':'init'}]},'status':{'containerStatuses':["
      + "{'name':'a','state':{'running':{}},'lastState':{}},"
      + "{'name':'b','state':{'waiting':{'reason':'CrashLoopBackOff'}},'lastState':{'terminated':{'exitCode':1}}}],"
      + "'initContainerStatuses':[{'name':'init','state':{'terminated':{'exitCode':0}}}]}}";

  private static int code(Throwable t) {
    return ((ApiException) t).code();
  }

  @Test
  void containerNameIsRequiredWhenThePodHasSeveral() throws Exception {
    JsonNode p = pod(TWO);
    assertThatThrownBy(() -> PodTarget.container(p, null)).isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(code(e)).isEqualTo(400))
        .hasMessageContaining("a container name must be specified for pod web, choose one of: [a, b] or one of "
            + "the init containers: [init]");
    assertThatThrownBy(() -> PodTarget.container(p, "c")).hasMessageContaining("container c is not valid for pod web");
    assertThat(PodTarget.container(p, "b")).isEqualTo("b");
    assertThat(PodTarget.container(pod("{'metadata':{'name':'x'},'spec':{'containers':[{'name':'only'}]}}"), ""))
        .isEqualTo("only");
  }

  @Test
  void logsNeedAStartedContainerAndPreviousATerminatedOne() throws Exception {
    JsonNode p = pod(TWO);
    PodTarget.checkLogs(p, "a", false);
    PodTarget.checkLogs(p, "b", false); // waiting after a crash: the last run's log
    PodTarget.checkLogs(p, "b", true);
    PodTarget.checkLogs(p, "init", false);
    assertThatThrownBy(() -> PodTarget.checkLogs(p, "a", true))
        .hasMessageContaining("previous terminated container \"a\" in pod \"web\" not found");
    JsonNode pending = pod("{'metadata':{'name':'web'},'spec':{'nodeName':'n1','containers':[{'name':'a'}]},"
        + "'status':{'containerStatuses':[{'name':'a','state':{'waiting':{'reason':'ContainerCreating'}}}]}}");
    assertThatThrownBy(() -> PodTarget.checkLogs(pending, "a", false))
        .satisfies(e -> assertThat(code(e)).isEqualTo(400))
        .hasMessageContaining("container \"a\" in pod \"web\" is waiting to start: ContainerCreating");
    JsonNode unscheduled = pod("{'metadata':{'name':'web'},'spec':{'containers':[{'name':'a'}]},'status':{}}");
    assertThatThrownBy(() -> PodTarget.checkLogs(unscheduled, "a", false))
        .hasMessageContaining("container \"a\" in pod \"web\" is waiting to start");
    assertThatThrownBy(() -> PodTarget.checkRunning(p, "b"))
        .hasMessageContaining("is waiting to start: CrashLoopBackOff");
    PodTarget.checkRunning(p, "a");
  }

  @Test
  void theNodeAdvertisesWhereItsAgentListens() throws Exception {
    JsonNode p = pod(TWO);
    JsonNode node = pod("{'status':{'addresses':[{'type':'Hostname','address':'n1'},{'type':'InternalIP',"
        + "'address':'127.0.0.1'}],'daemonEndpoints':{'kubeletEndpoint':{'Port':41234}}}}");
    assertThat(PodTarget.of(p, node, "a")).isEqualTo(new PodTarget("n1", "127.0.0.1", 41234, "a"));
    JsonNode silent = pod("{'status':{'addresses':[{'type':'InternalIP','address':'127.0.0.1'}],"
        + "'daemonEndpoints':{'kubeletEndpoint':{'Port':0}}}}");
    assertThatThrownBy(() -> PodTarget.of(p, silent, "a")).satisfies(e -> assertThat(code(e)).isEqualTo(503));
  }

  @Test
  void execNegotiatesTheFirstServedProtocolAndIsAuthorizedAsCreate() {
    assertThat(PodProxy.protocol("v5.channel.k8s.io, v4.channel.k8s.io, v3.channel.k8s.io"))
        .isEqualTo("v5.channel.k8s.io");
    assertThat(PodProxy.protocol("v3.channel.k8s.io,v4.channel.k8s.io")).isEqualTo("v4.channel.k8s.io");
    assertThat(PodProxy.protocol("channel.k8s.io")).isNull();
    User u = new User("u", List.of(), null);
    assertThat(Attributes.of(u, "GET", "/api/v1/namespaces/default/pods/web/exec", false).verb()).isEqualTo("create");
    assertThat(Attributes.of(u, "POST", "/api/v1/namespaces/default/pods/web/exec", false).verb()).isEqualTo("create");
    Attributes log = Attributes.of(u, "GET", "/api/v1/namespaces/default/pods/web/log", false);
    assertThat(log.verb()).isEqualTo("get");
    assertThat(log.resourceWithSubresource()).isEqualTo("pods/log");
  }
}
