package io.netprobe.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SwitchPortTest {
  private static Facts.SwitchPort access(String port, int tag) {
    return new Facts.SwitchPort("br", port, tag, List.of(), 1, List.of());
  }

  private static Facts.SwitchPort trunk(String port, Integer... vlans) {
    return new Facts.SwitchPort("br", port, null, List.of(vlans), 2, List.of());
  }

  @Test
  void accessPortsMeetOnlyInTheirOwnVlan() {
    assertThat(access("a", 7).sharesVlanWith(access("b", 7))).isTrue();
    assertThat(access("a", 7).sharesVlanWith(access("c", 8))).isFalse();
    assertThat(access("a", 7).vlanSaid()).isEqualTo("access port of VLAN 7");
  }

  @Test
  void aTrunkCarriesItsVlansAndAPortWithoutTagOrTrunksCarriesAll() {
    assertThat(access("a", 7).sharesVlanWith(trunk("t", 7, 8))).isTrue();
    assertThat(access("a", 9).sharesVlanWith(trunk("t", 7, 8))).isFalse();
    assertThat(trunk("t", 7, 8).vlanSaid()).isEqualTo("trunk of VLANs 7, 8");
    assertThat(access("a", 9).sharesVlanWith(trunk("all"))).isTrue();
  }

  @Test
  void portsOfTwoBridgesNeverMeet() {
    Facts.SwitchPort other = new Facts.SwitchPort("br2", "x", 7, List.of(), 1, List.of());
    assertThat(access("a", 7).sharesVlanWith(other)).isFalse();
  }

  @Test
  void fdbShowIsReadPerOpenFlowPort() {
    String table =
        """
         port  VLAN  MAC                Age
            1     7  7E:88:d9:5f:5b:6e    3
            2     7  36:2b:d3:a0:24:e1    3
            1     7  aa:bb:cc:dd:ee:ff  120
        """;
    Map<Integer, Set<String>> fdb = OvsSwitch.fdb(table);
    assertThat(fdb.get(1)).containsExactly("7e:88:d9:5f:5b:6e", "aa:bb:cc:dd:ee:ff");
    assertThat(fdb.get(2)).containsExactly("36:2b:d3:a0:24:e1");
  }
}
