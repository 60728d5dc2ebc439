# Sourced by bin/jvs-demo for --ovn (not a command of its own): the two-chassis OVN network.
# Uses jvs-demo's variables (root, run, prefix, id, config, pidfile, logfile) and say().
#
#   central (root namespace): ovn-northd, NB and SB ovsdb-servers on unix sockets in $run/ovn/central
#   namespace <prefix><id>-a: chassis "jvs-a", jvswitchd    br-phy: ua, 192.0.2.1/24 on its LOCAL port
#   namespace <prefix><id>-b: chassis "ovs-b", ovs-vswitchd br-phy: ub, 192.0.2.2/24 on its LOCAL port
#   ua <-> ub: the underlay veth; h1's veth end vif-h1 on a's br-int, h2's vif-h2 on b's br-int
#
# Every daemon has its pid file in $run/ovn, so jvs-demo's cleanup stops them all.

ovn_demo() {
  local o="$run/ovn" a="${prefix}${id}-a" b="${prefix}${id}-b" h1="${prefix}${id}-h1" h2="${prefix}${id}-h2"
  mkdir -p "$o/central" "$o/a" "$o/b"
  nbctl() { ovn-nbctl --db="unix:$o/central/nb.sock" --timeout=30 "$@"; }
  vsctl_a() { ovs-vsctl --db="unix:$o/a/db.sock" --timeout=30 "$@"; }
  vsctl_b() { ovs-vsctl --db="unix:$o/b/db.sock" --timeout=30 "$@"; }

  say "namespaces: chassis a ($a, jvswitchd), chassis b ($b, ovs-vswitchd), hosts h1 and h2"
  for ns in "$a" "$b" "$h1" "$h2"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  ip -n "$a" link add ua type veth peer name ub netns "$b"
  ip -n "$a" link add vif-h1 type veth peer name eth0 netns "$h1"
  ip -n "$b" link add vif-h2 type veth peer name eth0 netns "$h2"
  for end in "$a ua" "$b ub" "$a vif-h1" "$b vif-h2" "$h1 eth0" "$h2 eth0"; do
    set -- $end
    ip netns exec "$1" ethtool -K "$2" gro off gso off tso off tx off >/dev/null
    ip -n "$1" link set "$2" up
  done
  # Geneve adds 58 bytes (with OVN's option) to what the VMs send over a 1500-byte underlay.
  ip -n "$h1" link set eth0 mtu 1400
  ip -n "$h2" link set eth0 mtu 1400
  ip -n "$h1" addr add 10.0.0.1/24 dev eth0
  ip -n "$h2" addr add 10.0.0.2/24 dev eth0

  say "OVN central: NB and SB ovsdb-servers and ovn-northd in $o/central"
  local db
  for db in nb sb; do
    ovsdb-tool create "$o/central/$db.db" "/usr/share/ovn/ovn-$db.ovsschema"
    ovsdb-server --remote="punix:$o/central/$db.sock" --pidfile="$o/$db.pid" --log-file="$o/central/$db.log" \
        --unixctl="$o/central/$db.ctl" --detach "$o/central/$db.db"
  done
  OVN_RUNDIR="$o/central" ovn-northd --ovnnb-db="unix:$o/central/nb.sock" --ovnsb-db="unix:$o/central/sb.sock" \
      --pidfile="$o/northd.pid" --log-file="$o/central/northd.log" --unixctl="$o/central/northd.ctl" --detach
  local c
  for c in a b; do
    ovsdb-tool create "$o/$c/conf.db" /usr/share/openvswitch/vswitch.ovsschema
    ovsdb-server --remote="punix:$o/$c/db.sock" --pidfile="$o/$c-ovsdb.pid" --log-file="$o/$c/ovsdb.log" \
        --unixctl="$o/$c/ovsdb.ctl" --detach "$o/$c/conf.db"
    ovs-vsctl --db="unix:$o/$c/db.sock" --no-wait init
  done

  say "chassis a: jvswitchd in $a (--db unix:$o/a/db.sock --rundir $o/a)"
  ip netns exec "$a" "$root/bin/jvswitchd" --config "$config" --db "unix:$o/a/db.sock" --rundir "$o/a" \
      --pidfile "$pidfile" --log-file "$logfile"
  say "chassis b: ovs-vswitchd --disable-system in $b (OVS_RUNDIR=$o/b)"
  OVS_RUNDIR="$o/b" OVS_LOGDIR="$o/b" OVS_DBDIR="$o/b" ip netns exec "$b" ovs-vswitchd "unix:$o/b/db.sock" \
      --pidfile="$o/b-vswitchd.pid" --log-file="$o/b/vswitchd.log" --unixctl="$o/b/vswitchd.ctl" --detach \
      --disable-system

  say "both chassis: br-phy on the underlay, the encap IP on its internal port, OVN's external_ids"
  local ns ip sysid vs
  for c in a b; do
    if [[ $c == a ]]; then ns=$a ip=192.0.2.1 sysid=jvs-a vs=vsctl_a; else ns=$b ip=192.0.2.2 sysid=ovs-b vs=vsctl_b; fi
    echo "  chassis $c: ovs-vsctl add-br br-phy -- add-port br-phy u$c; ip addr add $ip/24 dev br-phy"
    $vs add-br br-phy -- set bridge br-phy datapath_type=netdev -- add-port br-phy "u$c"
    for ((i = 0; i < 100; i++)); do ip -n "$ns" link show br-phy >/dev/null 2>&1 && break; sleep 0.1; done
    ip -n "$ns" addr add "$ip/24" dev br-phy
    ip -n "$ns" link set br-phy up
    echo "  chassis $c: external_ids system-id=$sysid ovn-remote=unix:$o/central/sb.sock ovn-encap-type=geneve ovn-encap-ip=$ip"
    $vs set Open_vSwitch . "external_ids:system-id=$sysid" "external_ids:ovn-remote=unix:$o/central/sb.sock" \
        external_ids:ovn-encap-type=geneve "external_ids:ovn-encap-ip=$ip" external_ids:ovn-bridge-datapath-type=netdev
    OVS_RUNDIR="$o/$c" OVN_RUNDIR="$o/$c" ip netns exec "$ns" ovn-controller "unix:$o/$c/db.sock" \
        --pidfile="$o/$c-ovn-controller.pid" --log-file="$o/$c/ovn-controller.log" --detach
  done
  for c in a b; do
    if [[ $c == a ]]; then vs=vsctl_a; else vs=vsctl_b; fi
    for ((i = 0; i < 300; i++)); do $vs br-exists br-int && break; sleep 0.1; done
    $vs br-exists br-int || { echo "jvs-demo: ovn-controller of chassis $c made no br-int" >&2; return 1; }
  done
  echo "  ovn-controller made br-int on both chassis"

  say "the VIFs: vif-h1 on a's br-int (iface-id h1), vif-h2 on b's (iface-id h2)"
  vsctl_a add-port br-int vif-h1 -- set interface vif-h1 external_ids:iface-id=h1
  vsctl_b add-port br-int vif-h2 -- set interface vif-h2 external_ids:iface-id=h2
  local mac1 mac2
  mac1=$(ip -n "$h1" -br link show eth0 | awk '{print $3}')
  mac2=$(ip -n "$h2" -br link show eth0 | awk '{print $3}')

  say "ovn-nbctl: logical switch sw0 with ports h1 ($mac1 10.0.0.1) and h2 ($mac2 10.0.0.2)"
  nbctl ls-add sw0
  local t0 t1
  t0=$(date +%s%N)
  nbctl lsp-add sw0 h1 -- lsp-set-addresses h1 "$mac1 10.0.0.1"
  nbctl lsp-add sw0 h2 -- lsp-set-addresses h2 "$mac2 10.0.0.2"
  # An echo request every 50 ms; one ping run per second, since a failed ARP ends a run early.
  local ok=0
  for ((i = 0; i < 60; i++)); do
    if ip netns exec "$h1" ping -n -q -c 1 -i 0.05 -w 1 10.0.0.2 >/dev/null 2>&1; then ok=1; break; fi
  done
  ((ok)) || { echo "jvs-demo: h1 got no ping answer from h2 within 60 s" >&2; return 1; }
  t1=$(date +%s%N)
  printf '  first ping h1 -> h2 %d ms after lsp-add\n' $(((t1 - t0) / 1000000))

  say "h1 (behind jvswitchd) and h2 (behind ovs-vswitchd) ping each other over Geneve"
  echo "  h1 -> h2: $(ip netns exec "$h1" ping -c 3 -i 0.3 -W 2 10.0.0.2 | grep -E 'packets transmitted')"
  echo "  h2 -> h1: $(ip netns exec "$h2" ping -c 3 -i 0.3 -W 2 10.0.0.1 | grep -E 'packets transmitted')"

  say "ovn-sbctl show (both chassis, their Geneve encaps and port bindings)"
  ovn-sbctl --db="unix:$o/central/sb.sock" show | sed 's/^/  /'
  say "chassis a: ovs-vsctl show (the tunnel port ovn-controller made on jvswitchd)"
  vsctl_a show | sed 's/^/  /'
  say "flows ovn-controller installed (ovs-ofctl -O OpenFlow15 dump-flows br-int on each chassis)"
  for c in a b; do
    echo "  chassis $c: $(OVS_RUNDIR="$o/$c" ovs-ofctl -O OpenFlow15 dump-flows br-int | grep -c 'actions=') flows"
  done
  say "jvsctl tnl/ports/show and dpctl/dump-flows on chassis a (tnl_push out, tnl_pop in)"
  jvsctl tnl/ports/show
  jvsctl dpctl/dump-flows
}
