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

        /// <summary>Creates a region's report whose rows came out but whose usage could not be read (<paramref name="usageError"/>).</summary>
        public RegionShareReport(string region, IReadOnlyList<ShareReportRow> rows, AmiShareException error, AmiShareException usageError)
            : this(region, rows, error)
        {
            UsageError = usageError;
        }

        /// <summary>Gets the region.</summary>
        public string Region { get; }

        /// <summary>Gets the rows (empty when <see cref="Error"/> is set).</summary>
        public IReadOnlyList<ShareReportRow> Rows { get; }

        /// <summary>Gets the error that stopped the region, or null.</summary>
        public AmiShareException Error { get; }

        /// <summary>Gets the error that kept the region's usage from being read (its rows then have no Usage), or null.</summary>
        public AmiShareException UsageError { get; }
    }
}
