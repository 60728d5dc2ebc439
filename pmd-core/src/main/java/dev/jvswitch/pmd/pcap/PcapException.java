package dev.jvswitch.pmd.pcap;

import java.io.IOException;

/** A file is not a pcap file jvswitch can use; the message is one line naming the file and what is wrong. */
public final class PcapException extends IOException {
    private static final long serialVersionUID = 1L;

    public PcapException(String message) {
        super(message);
    }
}
