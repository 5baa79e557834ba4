module github.com/logpath/logpath

go 1.26.8
