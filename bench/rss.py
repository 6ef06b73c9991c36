"""Peak RSS of a child process, for the bench scripts."""
import threading, time


def peak_rss(pid, box, interval=0.02):
    """Samples the process's own high-water mark (VmHWM) until it exits: rusage's ru_maxrss is
    not used because a child started by fork/vfork inherits the parent's (Python's) high-water."""
    while True:
        try:
            with open(f"/proc/{pid}/status") as status:
                hwm = [line for line in status if line.startswith("VmHWM:")]
        except OSError:
            return
        if not hwm:
            return
        box[0] = max(box[0], int(hwm[0].split()[1]) / 1024)
        time.sleep(interval)


def watched(process, interval=0.02):
    """A one-element list holding the process's peak RSS in MiB so far, kept up to date."""
    box = [0.0]
    threading.Thread(target=peak_rss, args=(process.pid, box, interval), daemon=True).start()
    return box
