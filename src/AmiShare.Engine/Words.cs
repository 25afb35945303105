using System.Globalization;

namespace AmiShare.Engine
{
    /// <summary>Counted nouns in messages: "1 AMI", "2 AMIs" (never "AMI(s)").</summary>
    internal static class Words
    {
        /// <summary>"1 AMI" or "<paramref name="count"/> AMIs".</summary>
        public static string Amis(int count) => Counted(count, "AMI", "AMIs");

        /// <summary>"<paramref name="count"/> <paramref name="one"/>" when the count is 1, otherwise "<paramref name="count"/> <paramref name="many"/>".</summary>
        public static string Counted(long count, string one, string many) => count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many);
    }
}
