using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;

namespace AmiShare.Commands
{
    /// <summary>
    /// One command's progress bar: its own ActivityId (no collision with another AmiShare command, the user's
    /// Write-Progress or a parallel runspace); a command whose progress starts while another AmiShare command's is open
    /// on the same pipeline thread (e.g. Grant -PassThru | Set-AmiPublic) nests under it.
    /// </summary>
    internal sealed class ItemProgress
    {
        private static int s_lastActivityId = 0x414D5300;
        [ThreadStatic]
        private static List<ItemProgress> t_open;
        private readonly Action<ProgressRecord> _write;
        private int _activityId;
        private int _parentActivityId = -1;
        private bool _written;
        private Dictionary<string, int> _parts;
        private long _lastWrite;

        /// <summary>The shortest time between two progress records of one command (200 ms).</summary>
        private static readonly long Interval = Stopwatch.Frequency / 5;

        /// <summary>
        /// Opens the bar's identity now (the command's start), so a command started from another AmiShare command's output
        /// nests under it even when its first progress record is written after the outer command has finished.
        /// </summary>
        public ItemProgress(Action<ProgressRecord> write)
        {
            _write = write;
            _activityId = Interlocked.Increment(ref s_lastActivityId);
            List<ItemProgress> open = t_open ?? (t_open = new List<ItemProgress>());
            _parentActivityId = open.Count > 0 ? open[open.Count - 1]._activityId : -1;
            open.Add(this);
        }

        /// <summary>"&lt;ami&gt; (n done)" or, when the number of AMIs is known, "n of total" with PercentComplete.</summary>
        public void Write(string activity, string imageId, int done, int total)
        {
            // At most one record per interval (the first and the last item's always): with many AMIs in flight a record per
            // AMI would keep the host redrawing (pwsh's console asks the terminal for the cursor position on every redraw).
            long now = Stopwatch.GetTimestamp();
            bool last = total > 0 && done >= total - 1;
            if (_written && !last && now - _lastWrite < Interval)
            {
                return;
            }

            _lastWrite = now;
            _written = true;
            string status = total > 0 ? $"{imageId} ({done} of {total} done)" : $"{imageId} ({done} done)";
            var record = new ProgressRecord(_activityId, activity, status) { ParentActivityId = _parentActivityId };
            if (total > 0)
            {
                record.PercentComplete = Math.Min(100, done * 100 / total);
            }

            _write(record);
        }

        /// <summary>
        /// A bar under this command's for one part of an item (e.g. one region's copy), keyed by <paramref name="key"/>;
        /// <paramref name="completed"/> ends it. Parts report seldom (one poll per region), so they are not throttled.
        /// </summary>
        public void WritePart(string key, string activity, string status, bool completed)
        {
            _parts = _parts ?? new Dictionary<string, int>(StringComparer.Ordinal);
            if (!_parts.TryGetValue(key ?? string.Empty, out int id))
            {
                if (completed)
                {
                    return;
                }

                id = Interlocked.Increment(ref s_lastActivityId);
                _parts[key ?? string.Empty] = id;
            }

            var record = new ProgressRecord(id, activity, string.IsNullOrEmpty(status) ? "..." : status) { ParentActivityId = _activityId };
            if (completed)
            {
                record.RecordType = ProgressRecordType.Completed;
                _parts.Remove(key ?? string.Empty);
            }

            _write(record);
        }

        /// <summary>Ends the bar, if one was written.</summary>
        public void Complete(string activity)
        {
            if (!_written)
            {
                Close();
                return;
            }

            _write(new ProgressRecord(_activityId, activity, "Done") { ParentActivityId = _parentActivityId, RecordType = ProgressRecordType.Completed });
            Close();
        }

        /// <summary>Takes the bar off this thread's open list (also when the command ends early).</summary>
        public void Close() => t_open?.Remove(this);
    }
}
