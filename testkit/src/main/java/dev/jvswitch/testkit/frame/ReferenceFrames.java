package dev.jvswitch.testkit.frame;

/**
 * Reference frames: bytes produced by an independent packet library (scapy 2.5.0), pasted here as
 * hex so that the tests depend on no tool. They pin the parser, and {@code Frames}, to bytes
 * nobody in this project wrote. The comment above each names what scapy was asked for.
 */
public final class ReferenceFrames {
    private ReferenceFrames() {
    }

    /** Ether/IP(10.0.0.1>10.0.0.2, id 0)/UDP(1>2), zero payload to 64 bytes. */
    public static final String UDP4 = ""
            + "00000000000200000000000108004500003200000000401166b90a0000010a00000200010002001eebac000000000000"
            + "00000000000000000000000000000000";

    /** Ether/IP(192.168.1.10>192.168.1.20, tos 0x10, ttl 63, DF)/TCP(40000>80, SYN, seq 1000, win 64240, MSS+NOP+NOP+SAckOK). */
    public static final String TCP4_SYN_MSS = ""
            + "525400654321525400123456080045100030123440003f06a615c0a8010ac0a801149c400050000003e8000000007002"
            + "faf064470000020405b401010402";

    /** Ether/IP(10.0.0.1>10.0.0.2, id 7)/SCTP(5000>6000, tag 0)/01020304. */
    public static final String SCTP4 = ""
            + "000000000002000000000001080045000024000700004084664d0a0000010a000002138817700000000092bb0ccc0102"
            + "0304";

    /** Ether/IP(10.0.0.1>10.0.0.2, id 1)/ICMP(echo request, id 0x0102, seq 3)/'ping'. */
    public static final String ICMP4_ECHO = ""
            + "00000000000200000000000108004500002000010000400166da0a0000010a0000020800182a0102000370696e67";

    /** Ether/IP(10.1.1.1>10.1.1.2, router alert option, IHL 6)/UDP(1000>2000)/'abcd'. */
    public static final String IPV4_OPTIONS_UDP = ""
            + "000000000002000000000001080046000024000000004011cfc00a0101010a0101029404000003e807d0000c19536162"
            + "6364";

    /** Ether/IP(10.0.0.1>10.0.0.2, id 99, offset 185*8, proto UDP)/16 zero bytes. */
    public static final String IPV4_LATER_FRAG = ""
            + "000000000002000000000001080045000024006300b9401165ab0a0000010a0000020000000000000000000000000000"
            + "0000";

    /** Ether/IP(10.0.0.1>10.0.0.2, id 99, MF)/UDP(7>9, len 1008, cksum 0)/16 zero bytes. */
    public static final String IPV4_FIRST_FRAG = ""
            + "00000000000200000000000108004500002c006320004011465c0a0000010a0000020007000903f00000000000000000"
            + "00000000000000000000";

    /** Ether/IPv6(2001:db8::1>2001:db8::2, flow label 0x12345)/HopByHop/DestOpt/UDP(53>5353)/'dnsq'. */
    public static final String UDP6_HBH_DST = ""
            + "00000000000200000000000186dd60012345001c004020010db800000000000000000000000120010db8000000000000"
            + "0000000000023c000104000000001100010400000000003514e9000cb763646e7371";

    /** Ether/IPv6(fe80::1>fe80::2, hlim 255)/Routing(type 0, no addresses)/TCP(22>50000, PSH|ACK, win 512)/'ssh'. */
    public static final String TCP6_RTHDR = ""
            + "00000000000200000000000186dd60000000001f2bfffe800000000000000000000000000001fe800000000000000000"
            + "00000000000206000000000000000016c35000000001000000025018020011e80000737368";

    /** Ether/IPv6(2001:db8::1>2001:db8::2)/Fragment(offset 0, M, id 0xabcd)/UDP(1>2, len 1200)/8 zero bytes. */
    public static final String UDP6_FRAG_FIRST = ""
            + "00000000000200000000000186dd6000000000182c4020010db800000000000000000000000120010db8000000000000"
            + "000000000002110000010000abcd0001000204b012340000000000000000";

    /** Ether/IPv6(2001:db8::1>2001:db8::2)/Fragment(offset 100*8, id 0xabcd, nh UDP)/16 zero bytes. */
    public static final String IPV6_FRAG_LATER = ""
            + "00000000000200000000000186dd6000000000182c4020010db800000000000000000000000120010db8000000000000"
            + "000000000002110003200000abcd00000000000000000000000000000000";

    /** Ether/IPv6(2001:db8::1>2001:db8::2)/ICMPv6 echo request(id 1, seq 2, 'hi'). */
    public static final String ICMP6_ECHO = ""
            + "00000000000200000000000186dd60000000000a3a4020010db800000000000000000000000120010db8000000000000"
            + "0000000000028000bbd9000100026869";

    /** Ether/IPv6(2001:db8::1>ff02::1:ff00:2, hlim 255)/ND NS(target 2001:db8::2)/SLL 00:00:5e:00:53:01. */
    public static final String ND_NS_SLL = ""
            + "3333ff00000200005e00530186dd6000000000203aff20010db8000000000000000000000001ff020000000000000000"
            + "0001ff00000287006d260000000020010db8000000000000000000000002010100005e005301";

    /** Ether/IPv6(2001:db8::2>2001:db8::1, hlim 255)/ND NA(S,O, target 2001:db8::2)/TLL 00:00:5e:00:53:02. */
    public static final String ND_NA_TLL = ""
            + "00005e00530100005e00530286dd6000000000203aff20010db800000000000000000000000220010db8000000000000"
            + "0000000000018800db706000000020010db8000000000000000000000002020100005e005302";

    /** Ether(broadcast)/ARP(who-has 192.0.2.2 tell 192.0.2.1), 42 bytes, unpadded. */
    public static final String ARP_REQUEST = ""
            + "ffffffffffff00005e0053010806000108000604000100005e005301c0000201000000000000c0000202";

    /** Ether/ARP(192.0.2.2 is-at 00:00:5e:00:53:02), zero-padded to 60 bytes. */
    public static final String ARP_REPLY_PADDED = ""
            + "00005e00530100005e0053020806000108000604000200005e005302c000020200005e005301c0000201000000000000"
            + "000000000000000000000000";

    /** Ether/802.1Q(vid 10, pcp 3)/IP(10.0.0.1>10.0.0.2)/UDP(1>2)/18 zero bytes. */
    public static final String VLAN_UDP4 = ""
            + "0000000000020000000000018100600a08004500002e00000000401166bd0a0000010a00000200010002001aebb40000"
            + "00000000000000000000000000000000";

    /** Ether/802.1ad(vid 100)/802.1Q(vid 10)/IP(10.0.0.1>10.0.0.2)/TCP(1>2, ACK, win 65535). */
    public static final String QINQ_TCP4 = ""
            + "00000000000200000000000188a800648100000a08004500002800000000400666ce0a0000010a000002000100020000"
            + "0000000000005010ffff9bcf0000";

    /** Ether/IP(172.16.0.1>172.16.0.2)/UDP(49152>4789)/VXLAN(vni 42)/Ether/IP(192.168.0.1>192.168.0.2)/UDP(1111>2222)/'inner'. */
    public static final String VXLAN = ""
            + "0000000000020000000000010800450000530000000040112277ac100001ac100002c00012b5003f1bf4080000000000"
            + "2a0000000000000b00000000000a080045000021000000004011f978c0a80001c0a80002045708ae000d27a7696e6e65"
            + "72";

    /** 802.3/LLC(AA AA 03)/SNAP(OUI 0, type 0x0800)/IP(10.0.0.1>10.0.0.2)/UDP(1>2). */
    public static final String LLC_SNAP_IPV4 = ""
            + "0000000000020000000000010024aaaa0300000008004500001c00000000401166cf0a0000010a000002000100020008"
            + "ebd8";

    /** 802.3/LLC(42 42 03)/STP BPDU (no SNAP). */
    public static final String STP_8023 = ""
            + "0180c2000000000000000001002642420300000000000000000000000000000000000000000000000000000001001400"
            + "02000f00";
}
