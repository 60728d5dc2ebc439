#!/usr/bin/env bash
# Builds the OpenFlow table ovn-controller installs for a small logical network and prints it, as
# conf/flows/ovn-*.flows hold it: a private OVN central (NB, SB, northd) and one chassis (OVS on
# the dummy datapath, VIFs lsp1 and lsp2 at OpenFlow ports 1 and 2), all in DIR and stopped at
# the end; nothing touches the system's services. Needs ovn-central, ovn-host, openvswitch-switch.
#   conf/flows/make-ovn-flows.sh DIR ls|acl|router > FILE
set -eu
d=$(realpath -m "$1"); v=$2
case $v in ls|acl|router) ;; *) echo "make-ovn-flows.sh: variant must be ls, acl or router, got '$v'" >&2; exit 2;; esac
rm -rf $d; mkdir -p $d; cd $d
stop() { for p in ovn-controller ovs-vswitchd ovsdb-server northd nb sb; do
  [ -f $d/$p.pid ] && kill $(cat $d/$p.pid) 2>/dev/null; done; true; }
trap stop EXIT
exec 3>&1 1>$d/setup.log 2>&1
export OVS_RUNDIR=$d OVS_LOGDIR=$d OVS_DBDIR=$d OVN_RUNDIR=$d OVN_LOGDIR=$d OVN_DBDIR=$d
ovsdb-tool create nb.db /usr/share/ovn/ovn-nb.ovsschema
ovsdb-tool create sb.db /usr/share/ovn/ovn-sb.ovsschema
ovsdb-tool create conf.db /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server nb.db --remote=punix:$d/nb.sock --pidfile=$d/nb.pid --log-file=$d/nb.log --unixctl=$d/nb.ctl --detach
ovsdb-server sb.db --remote=punix:$d/sb.sock --pidfile=$d/sb.pid --log-file=$d/sb.log --unixctl=$d/sb.ctl --detach
ovn-northd --ovnnb-db=unix:$d/nb.sock --ovnsb-db=unix:$d/sb.sock --pidfile=$d/northd.pid --log-file=$d/northd.log --unixctl=$d/northd.ctl --detach
ovsdb-server conf.db --remote=punix:$d/db.sock --pidfile=$d/ovsdb-server.pid --log-file=$d/ovsdb-server.log --detach
ovs-vsctl --db=unix:$d/db.sock --no-wait init
ovs-vswitchd unix:$d/db.sock --enable-dummy --disable-system --pidfile=$d/ovs-vswitchd.pid --log-file=$d/ovs-vswitchd.log --detach
vs="ovs-vsctl --db=unix:$d/db.sock"
$vs set open . external_ids:system-id=hv1 external_ids:ovn-remote=unix:$d/sb.sock external_ids:ovn-encap-type=geneve external_ids:ovn-encap-ip=192.0.2.1
$vs add-br br-int -- set bridge br-int datapath_type=dummy fail_mode=secure
$vs add-port br-int vif1 -- set interface vif1 type=dummy ofport_request=1 external_ids:iface-id=lsp1
$vs add-port br-int vif2 -- set interface vif2 type=dummy ofport_request=2 external_ids:iface-id=lsp2
ovn-controller unix:$d/db.sock --pidfile=$d/ovn-controller.pid --log-file=$d/ovn-controller.log --detach
nb="ovn-nbctl --db=unix:$d/nb.sock"
$nb ls-add ls1
$nb lsp-add ls1 lsp1 -- lsp-set-addresses lsp1 "02:00:00:00:00:01 10.0.0.1"
case $v in
  ls|acl)
    $nb lsp-add ls1 lsp2 -- lsp-set-addresses lsp2 "02:00:00:00:00:02 10.1.0.1";;
  router)
    $nb ls-add ls2
    $nb lsp-add ls2 lsp2 -- lsp-set-addresses lsp2 "02:00:00:00:00:03 10.1.0.1"
    $nb lr-add lr0
    $nb lrp-add lr0 lrp1 02:00:00:00:00:02 10.0.0.254/16
    $nb lrp-add lr0 lrp2 02:00:00:00:00:f2 10.1.0.254/16
    $nb lsp-add ls1 ls1-lr0 -- lsp-set-type ls1-lr0 router -- lsp-set-addresses ls1-lr0 router -- lsp-set-options ls1-lr0 router-port=lrp1
    $nb lsp-add ls2 ls2-lr0 -- lsp-set-type ls2-lr0 router -- lsp-set-addresses ls2-lr0 router -- lsp-set-options ls2-lr0 router-port=lrp2;;
esac
if [ $v = acl ]; then
  $nb pg-add pg1 lsp1 lsp2
  $nb acl-add pg1 from-lport 1002 'inport == @pg1 && ip4' allow-related
  $nb acl-add pg1 to-lport 1002 'outport == @pg1 && ip4 && udp' allow-related
  $nb acl-add pg1 to-lport 1001 'outport == @pg1 && ip4' drop
fi
$nb --wait=hv sync
ovs-ofctl -O OpenFlow15 dump-flows br-int --no-stats | sed 's/^ //' >&3
