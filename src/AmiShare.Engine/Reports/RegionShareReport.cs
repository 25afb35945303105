using System.Collections.Generic;

namespace AmiShare.Engine.Reports
{
    /// <summary>The share report of one region: its rows, or the error that stopped it.</summary>
    public sealed class RegionShareReport
    {
        /// <summary>Creates a region's report.</summary>
        public RegionShareReport(string region, IReadOnlyList<ShareReportRow> rows, AmiShareException error)
        {
            Region = region;
            Rows = rows;
            Error = error;
        }

        /// <summary>Gets the region.</summary>
        public string Region { get; }

        /// <summary>Gets the rows (empty when <see cref="Error"/> is set).</summary>
        public IReadOnlyList<ShareReportRow> Rows { get; }

        /// <summary>Gets the error that stopped the region, or null.</summary>
        public AmiShareException Error { get; }
    }
}
