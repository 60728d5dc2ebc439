package dev.jvswitch.pmd.pcap;

/**
 * Layout of a classic libpcap file, shared by the reader and the writer.
 *
 * <p>A file is one header followed by records. Every multi-byte field is in the byte order of the
 * machine that wrote the file, which the reader learns from how the magic number reads; the magic
 * also says whether the timestamp fraction counts microseconds or nanoseconds.
 *
 * <pre>
 *  file header (24 bytes)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |      magic: a1b2c3d4 (microseconds) or a1b23c4d (nanoseconds) |  0
 *  +-------------------------------+-------------------------------+
 *  |        version major (2)      |        version minor (4)      |  4
 *  +-------------------------------+-------------------------------+
 *  |                   thiszone (reserved, 0)                      |  8
 *  +---------------------------------------------------------------+
 *  |                   sigfigs (reserved, 0)                       | 12
 *  +---------------------------------------------------------------+
 *  |                   snaplen                                     | 16
 *  +-------------------------------+-------------------------------+
 *  |   FCS / reserved bits         |   link type (1 = Ethernet)    | 20
 *  +-------------------------------+-------------------------------+
 *
 *  record header (16 bytes), then captured-length bytes of frame
 *  +---------------------------------------------------------------+
 *  |                   timestamp, seconds                          |  0
 *  +---------------------------------------------------------------+
 *  |                   timestamp, micro- or nanoseconds            |  4
 *  +---------------------------------------------------------------+
 *  |                   captured length                             |  8
 *  +---------------------------------------------------------------+
 *  |                   original length on the wire                 | 12
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class PcapFormat {
    public static final int FILE_HEADER_BYTES = 24;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_MAJOR_OFFSET = 4;
    public static final int VERSION_MINOR_OFFSET = 6;
    public static final int THISZONE_OFFSET = 8;
    public static final int SIGFIGS_OFFSET = 12;
    public static final int SNAPLEN_OFFSET = 16;
    public static final int LINK_TYPE_OFFSET = 20;

    public static final int RECORD_HEADER_BYTES = 16;
    public static final int TS_SECONDS_OFFSET = 0;
    public static final int TS_FRACTION_OFFSET = 4;
    public static final int CAPTURED_LENGTH_OFFSET = 8;
    public static final int ORIGINAL_LENGTH_OFFSET = 12;

    /** Magic of a file with microsecond timestamps, as read in the writer's byte order. */
    public static final int MAGIC_MICROS = 0xa1b2c3d4;
    /** Magic of a file with nanosecond timestamps, as read in the writer's byte order. */
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    public static final short VERSION_MAJOR = 2;
    public static final short VERSION_MINOR = 4;
    public static final int LINKTYPE_ETHERNET = 1;
    /** libpcap's largest snaplen; a record claiming more is taken as corruption. */
    public static final int MAX_SNAPLEN = 262144;

    private PcapFormat() {
    }
}
