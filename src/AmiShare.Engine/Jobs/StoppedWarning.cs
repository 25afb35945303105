using System.Collections.Generic;
using System.Linq;

namespace AmiShare.Engine.Jobs
{
    /// <summary>The warning a stopped command writes about AMIs it had already changed but whose results it never wrote.</summary>
    public static class StoppedWarning
    {
        /// <summary>
        /// "Stopped: 1 AMI had already been changed …" / "Stopped: 3 AMIs had …", naming the first ten of <paramref name="changed"/>;
        /// null when the list is empty.
        /// </summary>
        public static string Text(IReadOnlyList<string> changed)
        {
            if (changed == null || changed.Count == 0)
            {
                return null;
            }

            const int named = 10;
            string ids = string.Join(", ", changed.Take(named)) + (changed.Count > named ? $" and {changed.Count - named} more" : string.Empty);
            return $"Stopped: {Words.Amis(changed.Count)} had already been changed when the command stopped, and their results were not written: {ids}. " +
                   "Run Get-AmiLaunchPermission on them to see their permissions now.";
        }
    }
}
